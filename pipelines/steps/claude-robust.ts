import { z } from 'zod';
import { ErrorName } from '../contract/errors.js';
import { FALLBACK_ACTIONS } from '../contract/step-options.js';
import { claudeOptions, outputSchemaFields, preset, prompt, role } from './llm-fields.js';
import { outputToFile, stepName } from './step-fields.js';

/**
 * pipeline_ex's `retry_conditions` (substrings it matched against error text) and the errors each
 * one retries here. Our transient error names are accepted as they are spelled.
 */
export const RETRY_CONDITIONS: Readonly<Record<string, readonly string[]>> = {
  timeout: [ErrorName.ProviderTimeout, 'States.Timeout'],
  rate_limit: [ErrorName.ProviderRateLimited],
  overloaded: [ErrorName.ProviderOverloaded],
  temporary_error: [ErrorName.ProviderServerError, ErrorName.ProviderOverloaded],
  server_error: [ErrorName.ProviderServerError],
  api_error: [ErrorName.ProviderServerError],
  network_error: [ErrorName.ProviderServerError],
  parsing_error: [ErrorName.ProviderInvalidResponse],
  invalid_response: [ErrorName.ProviderInvalidResponse],
  [ErrorName.ProviderRateLimited]: [ErrorName.ProviderRateLimited],
  [ErrorName.ProviderOverloaded]: [ErrorName.ProviderOverloaded],
  [ErrorName.ProviderServerError]: [ErrorName.ProviderServerError],
  [ErrorName.ProviderTimeout]: [ErrorName.ProviderTimeout],
  [ErrorName.ProviderInvalidResponse]: [ErrorName.ProviderInvalidResponse],
};

/** pipeline_ex's default `retry_conditions`. */
export const DEFAULT_RETRY_CONDITIONS: readonly string[] = ['timeout', 'rate_limit', 'temporary_error'];

const conditionNames = Object.keys(RETRY_CONDITIONS) as [string, ...string[]];
const fallbackAction = z.enum(FALLBACK_ACTIONS);

const retryConfig = z
  .strictObject({
    max_retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe(
        'Sets the call budget, max_retries + 1: the most provider calls of the step, retries, fallback ' +
          'model and simplified_prompt included (default 3).',
      ),
    backoff_strategy: z
      .enum(['exponential', 'linear', 'fixed'])
      .optional()
      .describe('How the wait grows between retries (default exponential).'),
    base_delay_ms: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('The first wait (default 1000); Step Functions counts whole seconds, rounded up.'),
    retry_conditions: z
      .array(z.enum(conditionNames))
      .min(1)
      .optional()
      .describe(`Which errors are retried (default ${DEFAULT_RETRY_CONDITIONS.join(', ')}).`),
    fallback_action: z
      .union([fallbackAction, z.array(fallbackAction).min(1)])
      .optional()
      .describe(
        'What answers once retries are spent (default graceful_degradation); a list is a chain, each ' +
          'tried when the one before fails. A fallback model (claude_options.fallback_model, or that of ' +
          'a preset you name) is tried first, within the call budget.',
      ),
  })
  .describe('Retries with backoff, then the fallback chain; a fallback answer is marked degraded.');

/**
 * `claude_robust`: a Claude call (preset `production` by default, without its fallback model)
 * retried on the declared errors with the declared backoff, then caught into a fallback chain, all
 * within a budget of `max_retries + 1` provider calls. The retries and the chain are Step Functions
 * `Retry` and `Catch`; a fallback answer is `degraded: true` with its reason.
 */
export const claudeRobustStep = z
  .strictObject({
    name: stepName,
    type: z.literal('claude_robust'),
    description: z.string().optional(),
    role,
    prompt,
    preset,
    retry_config: retryConfig.optional(),
    claude_options: claudeOptions.optional().describe('Merged over the preset.'),
    output_to_file: outputToFile,
    ...outputSchemaFields,
  })
  .describe('A Claude call with declared retries and a fallback chain.');

/** A `claude_robust` step as loaded. */
export type ClaudeRobustStep = z.infer<typeof claudeRobustStep>;

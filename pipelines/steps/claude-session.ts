import { z } from 'zod';
import { claudeOptions, outputSchemaFields, preset, prompt, role, sessionName } from './llm-fields.js';
import { outputToFile, stepName } from './step-fields.js';

const sessionConfig = z
  .strictObject({
    session_name: sessionName
      .optional()
      .describe('The conversation this step continues (default: the step name).'),
    persist: z
      .boolean()
      .optional()
      .describe(
        'true (default): the conversation is stored for the tenant and continues across runs; ' +
          'false: it lasts for this run only.',
      ),
    continue_on_restart: z
      .boolean()
      .optional()
      .describe('Accepted for compatibility with pipeline_ex; a persisted session always continues.'),
    checkpoint_frequency: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Accepted for compatibility with pipeline_ex; every turn is stored as it happens.'),
    max_turns: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Send at most this many earlier turns to the model (default: all of them).'),
    description: z.string().optional(),
  })
  .describe('Which stored conversation the step continues.');

/**
 * `claude_session`: a Claude call that continues a stored conversation. Earlier turns are read from
 * the session store and sent as prior messages; the step's own turn is appended once it succeeds.
 * Preset `analysis` by default.
 */
export const claudeSessionStep = z
  .strictObject({
    name: stepName,
    type: z.literal('claude_session'),
    description: z.string().optional(),
    role,
    prompt,
    preset,
    session_config: sessionConfig.optional(),
    claude_options: claudeOptions.optional().describe('Merged over the preset.'),
    output_to_file: outputToFile,
    ...outputSchemaFields,
  })
  .describe('A Claude call that continues a stored conversation.');

/** A `claude_session` step as loaded. */
export type ClaudeSessionStep = z.infer<typeof claudeSessionStep>;

import { z } from 'zod';
import { claudeOptions, outputSchemaFields, preset, prompt, role } from './llm-fields.js';
import { outputToFile, stepName } from './step-fields.js';

/**
 * `claude_smart`: one Claude call whose model, output tokens and timeout start from a preset
 * (pipeline_ex's option builder, reference §13.2). The preset is the step's `preset`, else
 * `defaults.claude_preset`, else (with `environment_aware: true`) the one named by
 * `workflow.environment.mode`, else `development`.
 */
export const claudeSmartStep = z
  .strictObject({
    name: stepName,
    type: z.literal('claude_smart'),
    description: z.string().optional(),
    role,
    prompt,
    preset,
    environment_aware: z
      .boolean()
      .optional()
      .describe('Use workflow.environment.mode as the preset when neither the step nor defaults name one.'),
    claude_options: claudeOptions.optional().describe('Merged over the preset.'),
    output_to_file: outputToFile,
    ...outputSchemaFields,
  })
  .describe('One call to Claude with a preset.');

/** A `claude_smart` step as loaded. */
export type ClaudeSmartStep = z.infer<typeof claudeSmartStep>;

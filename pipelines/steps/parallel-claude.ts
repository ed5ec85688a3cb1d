import { z } from 'zod';
import { reportDuplicateTaskIds, taskId } from './claude-batch.js';
import { claudeOptions, outputSchemaFields, prompt, role } from './llm-fields.js';
import { outputToFile, stepName } from './step-fields.js';

const parallelTask = z.strictObject({
  id: taskId.describe('Names the task in the results.'),
  prompt,
  claude_options: claudeOptions.optional().describe("Merged over the workflow's defaults."),
  output_to_file: outputToFile,
});

/**
 * `parallel_claude`: Claude tasks run as the branches of a Parallel state, each with a timeout and
 * its own status, then consolidated into one result.
 */
export const parallelClaudeStep = z
  .strictObject({
    name: stepName,
    type: z.literal('parallel_claude'),
    description: z.string().optional(),
    role,
    parallel_tasks: z.array(parallelTask).min(1),
    output_to_file: outputToFile,
    ...outputSchemaFields,
  })
  .superRefine((step, ctx) =>
    reportDuplicateTaskIds(
      step.parallel_tasks.map((task) => task.id),
      'parallel_tasks',
      'id',
      ctx,
    ),
  )
  .describe('Claude tasks run as parallel branches, then consolidated.');

/** A `parallel_claude` step as loaded. */
export type ParallelClaudeStep = z.infer<typeof parallelClaudeStep>;

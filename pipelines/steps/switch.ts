import { z } from 'zod';
import { type NestedStep, nestedSteps } from './nested-steps.js';
import { stepName } from './step-fields.js';

/**
 * `switch` (documented by pipeline_ex, never built there): a Choice state over the value of
 * `expression`; the steps of the matching case run, or the `default` steps, then the pipeline
 * continues after the switch. The step's result records the branch taken: `{branch: KEY}`.
 */
export const switchStep = z
  .strictObject({
    name: stepName,
    type: z.literal('switch'),
    description: z.string().optional(),
    expression: z
      .string()
      .min(1)
      .describe(
        'A value in the conditions language, e.g. steps.triage.severity or toLowerCase(inputs.mode).',
      ),
    get cases(): z.ZodRecord<z.ZodString, z.ZodArray<z.ZodType<NestedStep>>> {
      return z
        .record(
          z.string().min(1).max(1024, { message: 'a case key is at most 1024 characters' }),
          nestedSteps('a case'),
        )
        .describe(
          'Steps to run for each value of the expression; keys match strings, numbers and true/false.',
        );
    },
    get default(): z.ZodOptional<z.ZodArray<z.ZodType<NestedStep>>> {
      return nestedSteps('default').optional().describe('Steps to run when no case matches (default: none).');
    },
  })
  .refine((step) => Object.keys(step.cases).length > 0, {
    message: 'a switch needs at least one case; write cases: {VALUE: [steps]}',
    path: ['cases'],
  })
  .describe('Runs the steps of the case that matches the value of an expression.');

/** A `switch` step as loaded. */
export type SwitchStep = z.infer<typeof switchStep>;

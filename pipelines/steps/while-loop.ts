import { z } from 'zod';
import { ConditionSchema } from './condition.js';
import { type NestedStep, nestedSteps } from './nested-steps.js';
import { stepName } from './step-fields.js';

/** Iterations a while_loop may run when it does not say (pipeline_ex's default). */
export const DEFAULT_MAX_ITERATIONS = 100;
/** The most iterations any while_loop may declare (pipeline_ex's hard cap). */
export const MAX_ITERATIONS_CAP = 1000;

/**
 * `while_loop`: a Choice loop with a counter in the state. `condition` is evaluated before every
 * iteration against the current state; the loop is bounded by `max_iterations`. Reaching the bound
 * fails the step with `Loop.MaxIterations`, unless `on_max_iterations: continue` asks to go on with
 * `max_iterations_reached: true` in the result.
 */
export const whileLoopStep = z
  .strictObject({
    name: stepName,
    type: z.literal('while_loop'),
    description: z.string().optional(),
    condition: ConditionSchema.describe(
      'Checked before each iteration; the body runs while it holds. It may read the body steps of the last iteration (null before the first).',
    ),
    get steps(): z.ZodArray<z.ZodType<NestedStep>> {
      return nestedSteps('a while_loop body').describe('The body, run while the condition holds.');
    },
    max_iterations: z
      .number()
      .int()
      .min(1)
      .max(MAX_ITERATIONS_CAP, { message: `max_iterations is at most ${MAX_ITERATIONS_CAP}` })
      .optional()
      .describe(`The most iterations (default ${DEFAULT_MAX_ITERATIONS}).`),
    on_max_iterations: z
      .enum(['fail', 'continue'])
      .optional()
      .describe(
        'fail (default): reaching max_iterations fails with Loop.MaxIterations; continue: the result says max_iterations_reached: true.',
      ),
    timeout_seconds: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Accepted for compatibility with pipeline_ex; ignored: each step has its own timeout and max_iterations bounds the loop.',
      ),
  })
  .describe('Runs its steps while a condition holds, at most max_iterations times.');

/** A `while_loop` step as loaded. */
export type WhileLoopStep = z.infer<typeof whileLoopStep>;

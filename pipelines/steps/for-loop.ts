import { z } from 'zod';
import { ConditionSchema } from './condition.js';
import { type NestedStep, nestedSteps } from './nested-steps.js';
import { stepName } from './step-fields.js';

/** Most iterations of an inline Map that run at once on AWS; more needs a Distributed Map. */
export const MAX_INLINE_CONCURRENCY = 40;

/** Fields of the loop context an iterator cannot be named after (`item` may: it is the item too). */
export const LOOP_CONTEXT_FIELDS = ['index', 'total', 'first', 'last', 'parent'] as const;

/** Iterations running at once when `parallel: true` and no `max_parallel` is given. */
export const DEFAULT_MAX_PARALLEL = 5;

/**
 * `for_loop`: a Map state over a list. Each iteration runs `steps` with `{{loop.ITERATOR}}` (also
 * `loop.item`), `loop.index`, `loop.total`, `loop.first`, `loop.last` and, in a nested loop,
 * `loop.parent`. The result lists each iteration: `{total_items, iterations: [{index, item, status,
 * steps | reason | error}]}`.
 */
export const forLoopStep = z
  .strictObject({
    name: stepName,
    type: z.literal('for_loop'),
    description: z.string().optional(),
    iterator: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'an iterator is a name such as file' })
      .refine((name) => !(LOOP_CONTEXT_FIELDS as readonly string[]).includes(name), {
        message: `an iterator cannot be named ${LOOP_CONTEXT_FIELDS.join(', ')}: the loop context has those fields`,
      })
      .describe('Name of the current item in the body: {{loop.NAME}}.'),
    data_source: z
      .string()
      .min(1)
      .describe('The list to loop over: {{steps.STEP.field}}, {{inputs.NAME}} or {{global_vars.NAME}}.'),
    get steps(): z.ZodArray<z.ZodType<NestedStep>> {
      return nestedSteps('a for_loop body').describe('The body, run once per item.');
    },
    parallel: z.boolean().optional().describe('Run iterations at once (default false: one at a time).'),
    max_parallel: z
      .number()
      .int()
      .min(1)
      .max(MAX_INLINE_CONCURRENCY, {
        message: `max_parallel is at most ${MAX_INLINE_CONCURRENCY} (the concurrency of an inline Map)`,
      })
      .optional()
      .describe(
        `The most iterations running at once when parallel (default ${DEFAULT_MAX_PARALLEL}): MaxConcurrency.`,
      ),
    break_on_error: z
      .boolean()
      .optional()
      .describe(
        'true (default): a failed iteration fails the loop; false: it is recorded and the loop goes on.',
      ),
    break_condition: ConditionSchema.optional().describe(
      'Tested on each item (loop.*) before the loop starts: the loop stops before the first item for which it holds.',
    ),
    continue_condition: ConditionSchema.optional().describe(
      'Checked before each iteration: when it holds, that item is skipped.',
    ),
    batch_size: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Accepted for compatibility with pipeline_ex; ignored: the Map runs items one by one.'),
  })
  .refine((step) => step.max_parallel === undefined || step.parallel === true, {
    message: 'max_parallel needs parallel: true (without it, iterations run one at a time)',
    path: ['max_parallel'],
  })
  .describe('Runs its steps once per item of a list, as a Map state.');

/** A `for_loop` step as loaded. */
export type ForLoopStep = z.infer<typeof forLoopStep>;

import { z } from 'zod';
import { AGGREGATE_FUNCTIONS, type DataOperation } from '../contract/step-options.js';
import { parseItemCondition } from '../item-condition.js';
import { stepName } from './step-fields.js';

/** Operations and functions pipeline_ex documents but never built, with what to write instead. */
export const DOC_ONLY_OPERATIONS: ReadonlyMap<string, string> = new Map([
  ['unique', 'write {operation: aggregate, field: FIELD, function: unique}'],
  ['flatten', 'flatten the list in the step that produces it'],
  ['transform', 'use map with a mapping or an expression (uppercase, lowercase)'],
]);

const source = z
  .string()
  .min(1)
  .describe(
    'Where the data comes from: one template such as {{steps.fetch.orders}} or {{inputs.rows}}; ' +
      "pipeline_ex's previous_response:STEP[:FIELD], context:NAME and bare names load with a warning.",
  );

const fieldPath = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: 'a field is a dot path such as "order.total"' });

const filter = z
  .strictObject({
    operation: z.literal('filter'),
    field: fieldPath
      .optional()
      .describe('The field `value` stands for in the condition; alone, a truthiness test.'),
    condition: z
      .string()
      .optional()
      .describe(
        'Item condition: FIELD OP LITERAL (== != >= <= > < contains) or FIELD, e.g. "status == \'done\'".',
      ),
  })
  .superRefine((op, ctx) => {
    if (op.field === undefined && op.condition === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a filter needs a condition or a field, e.g. condition: "total > 100"',
      });
    }
    const parsed = op.condition === undefined ? undefined : parseItemCondition(op.condition);
    if (parsed && 'error' in parsed)
      ctx.addIssue({ code: 'custom', path: ['condition'], message: parsed.error });
  })
  .describe('Keeps the items that satisfy the condition.');

const map = z
  .strictObject({
    operation: z.literal('map'),
    field: fieldPath
      .optional()
      .describe('The field to change; without it, mapping is merged into every item.'),
    mapping: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Lookup table: the field's value (as text) to its new value."),
    expression: z.enum(['uppercase', 'lowercase']).optional().describe('Changes a text field.'),
  })
  .superRefine((op, ctx) => {
    if ((op.mapping === undefined) === (op.expression === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a map needs exactly one of mapping or expression' });
    }
    if (op.expression !== undefined && op.field === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['expression'],
        message: `expression ${op.expression} needs the field it changes: add field: NAME`,
      });
    }
  })
  .describe('Changes every item.');

const aggregate = z
  .strictObject({
    operation: z.literal('aggregate'),
    field: fieldPath.optional().describe("The items' field to aggregate; without it, the items themselves."),
    function: z.enum(AGGREGATE_FUNCTIONS).optional().describe('Default sum. Missing values are skipped.'),
  })
  .describe('Reduces the items to one value.');

const join = z
  .strictObject({
    operation: z.literal('join'),
    left_field: fieldPath
      .optional()
      .describe("The items' field matched against join_key (default: join_key)."),
    right_source: source.describe('The list to join with; the same spellings as input_source.'),
    join_key: fieldPath.describe('The field of the right items that must equal left_field.'),
  })
  .describe("Merges into each item the first right item whose join_key equals the item's left_field.");

const groupBy = z
  .strictObject({ operation: z.literal('group_by'), field: fieldPath })
  .describe("Groups the items into a map from the field's value (as text) to the items.");

const sort = z
  .strictObject({
    operation: z.literal('sort'),
    field: fieldPath,
    order: z.enum(['asc', 'desc']).optional().describe('Default asc; missing values sort last.'),
  })
  .describe('Sorts the items by a field (numbers numerically, text in UTF-16 order); stable.');

/** One operation of a `data_transform` step. */
export const DataOperationSchema = z.discriminatedUnion('operation', [
  filter,
  map,
  aggregate,
  join,
  groupBy,
  sort,
]) satisfies z.ZodType<DataOperation>;

/** `data_transform`: reads a list, applies operations in order, stores the result. */
export const dataTransformStep = z
  .strictObject({
    name: stepName,
    type: z.literal('data_transform'),
    description: z.string().optional(),
    input_source: source,
    operations: z.array(DataOperationSchema).optional().describe('Applied in order; none returns the input.'),
    output_field: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, { message: 'output_field is a name such as high_value_orders' })
      .optional()
      .describe('Names the result: {{steps.NAME.OUTPUT_FIELD}} (default: the step name).'),
    lazy: z
      .strictObject({ enabled: z.boolean().optional() })
      .optional()
      .describe(
        'Accepted for compatibility with pipeline_ex; the step runner processes the list in one pass.',
      ),
  })
  .describe('Filters, maps, aggregates, joins, groups or sorts data from an earlier step or an input.');

/** A `data_transform` step as loaded. */
export type DataTransformStep = z.infer<typeof dataTransformStep>;

/** What to write instead of an operation `data_transform` does not have. */
export function operationHint(name: string, supported: readonly string[]): string {
  const instead = DOC_ONLY_OPERATIONS.get(name);
  const documented = instead ? `pipeline_ex documents ${name} but never built it; ${instead}; ` : '';
  return `${documented}operations: ${supported.join(', ')}`;
}

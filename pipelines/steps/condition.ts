import { z } from 'zod';

/**
 * A condition as a pipeline file writes it (pipeline_ex §8): a string in the conditions language,
 * a map `{and: [...]}`, `{or: [...]}` or `{not: condition}`, or a list (all must hold). The
 * maps and lists nest.
 */
export type ConditionSource =
  | string
  | readonly ConditionSource[]
  | { readonly and: readonly ConditionSource[] }
  | { readonly or: readonly ConditionSource[] }
  | { readonly not: ConditionSource };

const conditionText = z
  .string()
  .min(1, { message: 'a condition cannot be empty' })
  .describe("A condition in the conditions language, e.g. steps.triage.severity == 'high'.");

/** The schema of a condition; recursive through the and/or/not maps and lists. */
export const ConditionSchema: z.ZodType<ConditionSource> = z.lazy(() =>
  z.union([
    conditionText,
    z.array(ConditionSchema).min(1).describe('Every condition of the list must hold.'),
    z.strictObject({ and: z.array(ConditionSchema).min(1) }).describe('Every condition must hold.'),
    z.strictObject({ or: z.array(ConditionSchema).min(1) }).describe('At least one condition must hold.'),
    z.strictObject({ not: ConditionSchema }).describe('The condition must not hold.'),
  ]),
);

/** The optional `condition:` every step accepts: when it does not hold, the step is skipped. */
export const stepCondition = ConditionSchema.optional().describe(
  'Run the step only when this holds; otherwise its result is {skipped: true, reason}.',
);

/**
 * A step type's schema with the step-level `condition:` added, so every type in the step union
 * accepts it (refinements and strictness kept; zod drops the description, which is put back).
 */
export function withStepCondition<Shape extends z.core.$ZodShape, Config extends z.core.$ZodObjectConfig>(
  schema: z.ZodObject<Shape, Config>,
): z.ZodObject<Shape & { condition: typeof stepCondition }, Config> {
  // The generic shape defeats safeExtend's key check; every step shape lacks `condition` (while_loop is not wrapped).
  const extended = (schema as z.ZodObject).safeExtend({ condition: stepCondition });
  const described = schema.description === undefined ? extended : extended.describe(schema.description);
  return described as unknown as z.ZodObject<Shape & { condition: typeof stepCondition }, Config>;
}

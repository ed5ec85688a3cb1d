import { z } from 'zod';

/**
 * A step inside a nested list (a loop body, a switch case, an inline pipeline), as the schema types
 * it. The list is checked by the full step union; its static type stays this small interface
 * because a type inferred through the union would reference itself. `pipelines/step-tree.ts` gives
 * the typed view.
 */
export interface NestedStep {
  readonly name: string;
  readonly type: string;
}

// The step union, handed over by `schema.ts` once it exists. Importing it here instead would make
// an import cycle whose order depends on which module is loaded first.
let stepSchema: z.ZodType<NestedStep> | undefined;

/** Called once by `schema.ts` with the union of every step type, which nested lists then check. */
export function registerStepSchema(schema: z.ZodType<NestedStep>): void {
  stepSchema = schema;
}

/**
 * A non-empty list of steps, each checked by the whole step union. Call it from a getter (the
 * schemas are built before the union exists; getters run when a file is parsed).
 */
export function nestedSteps(what: string): z.ZodArray<z.ZodType<NestedStep>> {
  if (stepSchema === undefined)
    throw new Error('internal: nested step lists are used before schema.ts registered the step union');
  return z.array(stepSchema).min(1, { message: `${what} needs at least one step` });
}

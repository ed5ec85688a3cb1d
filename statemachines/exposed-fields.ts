import type { StepSpec } from '../pipelines/contract/spec-bundle.js';
import type { Workflow } from '../pipelines/schema.js';
import { allSteps } from '../pipelines/step-tree.js';
import { EXPOSING_STEP_TYPES, type FieldRead } from './conditions/state-values.js';

/**
 * Which fields of LLM answers enter the state: exactly those some Choice state reads as
 * `$.steps.NAME.fields.FIELD` (conditions and switches), as the plan found them. Choice states read
 * the state, never S3, so the runner copies these fields of the answer into the step's reference.
 */

/**
 * For each LLM step of `workflow` that some read names, the fields read, sorted and without repeats.
 * Reads of other steps' `fields` (which their own runners fill, e.g. a batch's counts) are left alone.
 */
export function exposedFieldsOf(
  reads: readonly FieldRead[],
  workflow: Workflow,
): Map<string, readonly string[]> {
  const stepTypes = new Map([...allSteps(workflow.steps, [])].map(({ step }) => [step.name, step.type]));
  const fields = new Map<string, Set<string>>();
  for (const read of reads) {
    if (!EXPOSING_STEP_TYPES.has(stepTypes.get(read.step) ?? '')) continue;
    fields.set(read.step, (fields.get(read.step) ?? new Set()).add(read.field));
  }
  return new Map([...fields].map(([step, names]) => [step, [...names].sort()]));
}

/** The specs with `exposeFields` set on each LLM step the plan lists. */
export function withExposedFields(
  specs: Readonly<Record<string, StepSpec>>,
  exposed: ReadonlyMap<string, readonly string[]>,
): Record<string, StepSpec> {
  const patched: Record<string, StepSpec> = { ...specs };
  for (const [step, fields] of exposed) {
    const spec = specs[step];
    if (spec?.kind !== 'llm') {
      throw new Error(
        `internal: a Choice state reads answer fields of step "${step}", whose spec is not an llm spec`,
      );
    }
    patched[step] = { ...spec, exposeFields: [...fields] };
  }
  return patched;
}

import type { AslObject, StepSpec } from '../pipelines/contract/spec-bundle.js';
import type { Workflow } from '../pipelines/schema.js';
import { allSteps } from '../pipelines/step-tree.js';
import { EXPOSING_STEP_TYPES } from './conditions/state-values.js';

/**
 * The compiler pass that decides which fields of LLM answers enter the state: exactly those some
 * state of the definition reads as `$.steps.NAME.fields.FIELD` (Choice rules of conditions and
 * switches). Reading the definition itself, rather than keeping a separate list, means a field is
 * exposed if and only if a state reads it.
 */

// `$.steps.NAME.fields.FIELD` or `$.steps['NAME'].fields['FIELD']`, as `statePath` writes them.
const FIELD_READ =
  /\$\.steps(?:\.([A-Za-z_][A-Za-z0-9_]*)|\['([^']+)'\])\.fields(?:\.([A-Za-z_][A-Za-z0-9_]*)|\['([^']+)'\])/g;

/**
 * The specs with `exposeFields` set on each LLM step whose answer fields the definition reads.
 * Reads of other steps' `fields` (which their own runners fill, e.g. a batch's counts) are left alone.
 */
export function withExposedFields(
  states: AslObject,
  specs: Readonly<Record<string, StepSpec>>,
  workflow: Workflow,
): Record<string, StepSpec> {
  const stepTypes = new Map([...allSteps(workflow.steps, [])].map(({ step }) => [step.name, step.type]));
  const reads = new Map<string, Set<string>>();
  for (const match of JSON.stringify(states).matchAll(FIELD_READ)) {
    const step = match[1] ?? match[2] ?? '';
    if (!EXPOSING_STEP_TYPES.has(stepTypes.get(step) ?? '')) continue;
    const fields = reads.get(step) ?? new Set<string>();
    fields.add(match[3] ?? match[4] ?? '');
    reads.set(step, fields);
  }
  const patched: Record<string, StepSpec> = { ...specs };
  for (const [step, fields] of reads) {
    const spec = specs[step];
    if (spec?.kind !== 'llm') {
      throw new Error(
        `internal: a Choice state reads answer fields of step "${step}", whose spec is not an llm spec`,
      );
    }
    patched[step] = { ...spec, exposeFields: [...fields].sort() };
  }
  return patched;
}

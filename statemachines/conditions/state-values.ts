import type { ExprOf } from '../../pipelines/contract/condition-ast.js';
import { SINGLE_CALL_LLM_STEP_TYPES, type Step, type Workflow } from '../../pipelines/schema.js';
import { allSteps } from '../../pipelines/step-tree.js';
import type { Pipeline } from '../../pipelines/types.js';

/**
 * Where a value a condition reads lives in the execution state, when it does. Choice states read
 * only the state, never S3: inputs, variables, the loop context and the results of control-flow
 * steps are there; of an LLM step's answer, only the fields that later Choice states read, which the
 * runner copies into its reference as `fields` (the plan lists them in the spec's `exposeFields`,
 * see `plan.ts`). Anything else is read by a step-runner evaluation Task.
 */

/** JSON type of a value, when the compiler knows it. */
export type StateValueType = 'string' | 'number' | 'boolean' | 'array' | 'object';

/**
 * A top-level field under `fields` of a step's reference, read from the state as
 * `$.steps.STEP.fields.FIELD`: of an LLM step, a field of its answer that the runner exposes.
 */
export interface FieldRead {
  readonly step: string;
  readonly field: string;
}

/** A value in the state: its reference path, and its type when known. */
export interface StateValue {
  readonly path: string;
  readonly type?: StateValueType;
  /** Set when the value is (inside) an answer field, which the runner must expose for it to exist. */
  readonly answerField?: FieldRead;
}

/** Finds a reference in the state, or answers undefined when only the step runner can read it. */
export type LocateValue = (ref: ExprOf<'ref'>) => StateValue | undefined;

/** Result fields of the control-flow steps, all in the state, with their types. */
const STATE_RESULTS: Readonly<Record<string, Readonly<Record<string, StateValueType>>>> = {
  switch: { branch: 'string' },
  for_loop: { total_items: 'number', iterations: 'array' },
  while_loop: { iterations: 'number', max_iterations_reached: 'boolean', last: 'object' },
};

/**
 * Step types whose runner returns one reference under `steps.NAME` from an `llm` spec keyed by the
 * step name, so a field of the answer can be exposed to Choice states.
 */
export const EXPOSING_STEP_TYPES: ReadonlySet<string> = new Set(SINGLE_CALL_LLM_STEP_TYPES);

/**
 * The fields a batch step's consolidation puts in its reference, which its failure check reads
 * (`batch-tasks.ts`), by the tolerance that reads them.
 */
export const BATCH_FAILURE_FIELDS = { count: 'failed_tasks', percentage: 'failed_percentage' } as const;

/** The fields of a skipped step's result, `{skipped: true, reason}`. */
const SKIP_FIELDS: Readonly<Record<string, StateValueType>> = { skipped: 'boolean', reason: 'string' };

/** Types of the loop context's own fields. */
const LOOP_TYPES: Readonly<Record<string, StateValueType>> = {
  index: 'number',
  total: 'number',
  iteration: 'number',
  first: 'boolean',
  last: 'boolean',
};

const INPUT_TYPES: Readonly<Record<string, StateValueType>> = {
  string: 'string',
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  array: 'array',
  object: 'object',
};

/**
 * A JSONPath reference path from a root and fields: dot notation where a name allows it, `[n]` for
 * list indexes, `['name']` otherwise.
 */
export function statePath(root: string, fields: readonly string[]): string {
  return fields.reduce((path, field) => {
    if (/^\d+$/.test(field)) return `${path}[${field}]`;
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? `${path}.${field}` : `${path}['${field}']`;
  }, root);
}

/** The locator of a pipeline: every step by name, for its type. */
export function stateLocator(pipeline: Pipeline): LocateValue {
  const workflow = pipeline.workflow;
  const steps = new Map<string, Step>();
  for (const { step } of allSteps(workflow.steps, [])) if (!steps.has(step.name)) steps.set(step.name, step);
  return (ref) => {
    const [head = '', ...rest] = ref.path;
    switch (ref.root) {
      case 'inputs':
        return typed(
          statePath('$.inputs', ref.path),
          rest.length === 0 ? INPUT_TYPES[workflow.inputs?.[head]?.type ?? ''] : undefined,
        );
      case 'global_vars':
        return typed(
          statePath('$.global_vars', ref.path),
          rest.length === 0 ? literalType(workflow, head, steps) : undefined,
        );
      case 'loop':
        return typed(statePath('$.loop', ref.path), rest.length === 0 ? LOOP_TYPES[head] : undefined);
      case 'steps':
        return stepValue(steps.get(head), head, rest);
      case 'item':
        return undefined;
    }
  };
}

function stepValue(step: Step | undefined, name: string, fields: readonly string[]): StateValue | undefined {
  const [field = ''] = fields;
  if (step === undefined || fields.length === 0) return undefined;
  const results = STATE_RESULTS[step.type];
  // A while_loop's `last` holds the body's references; their answers are in S3, for the runner.
  if (step.type === 'while_loop' && field === 'last' && fields.length > 1) return undefined;
  if (results !== undefined)
    return typed(statePath('$.steps', [name, ...fields]), fields.length === 1 ? results[field] : undefined);
  // A skipped step's result is {skipped: true, reason} for every type; these two names mean that
  // record, never fields of an answer (the step runner reads them the same way).
  const skipType = SKIP_FIELDS[field];
  if (fields.length === 1 && skipType !== undefined)
    return { path: statePath('$.steps', [name, field]), type: skipType };
  if (EXPOSING_STEP_TYPES.has(step.type) && field !== 'text')
    return { path: statePath('$.steps', [name, 'fields', ...fields]), answerField: { step: name, field } };
  return undefined;
}

/** The type of a declared variable no set_variable step changes, from its literal value. */
function literalType(
  workflow: Workflow,
  name: string,
  steps: ReadonlyMap<string, Step>,
): StateValueType | undefined {
  const declared = workflow.global_vars?.[name];
  const reassigned = [...steps.values()].some(
    (step) => step.type === 'set_variable' && name in step.variables,
  );
  if (declared === undefined || declared === null || reassigned) return undefined;
  if (Array.isArray(declared)) return 'array';
  const type = typeof declared;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'object' ? type : undefined;
}

function typed(path: string, type: StateValueType | undefined): StateValue {
  return type === undefined ? { path } : { path, type };
}

import {
  type AslObject,
  type AslValue,
  type ChildStateMachine,
  RUN_TASK_SYNC,
  START_EXECUTION_SYNC,
} from '../pipelines/contract/spec-bundle.js';
import { jsonBytes, oversizedInputs, STATE_PAYLOAD_LIMIT_BYTES } from '../pipelines/contract/state-limits.js';
import type { InputDecl } from '../pipelines/contract/step-options.js';
import type { PipelineIssue } from '../pipelines/types.js';
import { HISTORY_EVENT_QUOTA, stateEvents } from './history-events.js';

/**
 * The compiler's check of Step Functions' quotas (a pass of `compile.ts`), on the definition and on
 * each child state machine, which has quotas of its own:
 *
 * - **payload** (256 KiB per state): step outputs live in S3 and the state holds references, so the
 *   state grows with the number of steps, not with what they answer. The worst case is estimated
 *   from the steps writing `$.steps` (each at most a reference), the literal values Pass states put
 *   in the state, and the declared variables. The run's inputs get the rest: the estimate is kept in
 *   the spec bundle (`stateBytes`) so a run's inputs are checked against it before the run starts
 *   ({@link oversizedInputs}), and the inputs' defaults are checked here;
 * - **definition size** (1 MiB of ASL, after placeholders become ARNs);
 * - **history** (25,000 events per execution): the longest path, loops at their bound (the weights
 *   loop emitters record, see `history-events.ts`), Catch routes followed, plus every Task state's
 *   retries spent once.
 *
 * Each estimate is reported; past a quota it is an error that says what to change.
 */

/** Step Functions' limit on a state machine definition: 1 MiB. */
export const DEFINITION_LIMIT_BYTES = 1_048_576;

/**
 * The most a step's reference takes in the state (a StepRef is ~450 bytes of ids, digests and
 * counts; this leaves room for the small fields some steps expose to Choice states).
 */
export const REFERENCE_BYTES = 1024;

/** What `run` and the state's fixed keys take at most (ids, bucket, bundle key, scope). */
const RUN_BYTES = 1024;

/** How much longer a placeholder may become once it is an ARN. */
const ARN_GROWTH_BYTES = 160;

/** Retry attempts of a retrier that does not say (Step Functions' default). */
const DEFAULT_MAX_ATTEMPTS = 3;

/** History events of one failed attempt (scheduled, started, failed). */
export const EVENTS_PER_RETRY = 3;

/** The execution's own events: started, and succeeded or failed. */
const EXECUTION_EVENTS = 2;

/** The estimates of one definition. */
export interface LimitEstimate {
  /** Which definition: `main`, or a child state machine's scope. */
  readonly machine: string;
  /** Bytes of the definition once its placeholders are ARNs (an upper bound). */
  readonly definitionBytes: number;
  /** Worst-case bytes of the execution state. */
  readonly stateBytes: number;
  /** Worst-case history events of one execution. */
  readonly historyEvents: number;
}

/**
 * Checks a definition and its child state machines against the quotas.
 *
 * @example
 * const { estimates, issues } = checkLimits(asl, children);
 * // estimates[0]: { machine: 'main', definitionBytes: 5210, stateBytes: 4096, historyEvents: 61 }
 */
export function checkLimits(
  definition: AslObject,
  children: readonly ChildStateMachine[],
): { readonly estimates: LimitEstimate[]; readonly issues: PipelineIssue[] } {
  const checked = [
    checkMachine(definition, 'main'),
    ...children.map((child) => checkMachine(child.definition, child.scope)),
  ];
  return { estimates: checked.map((c) => c.estimate), issues: checked.flatMap((c) => c.issues) };
}

/**
 * The most a run's execution state holds besides its inputs: the largest state estimate of the
 * definition and its children, since a nested pipeline may be handed the run's inputs whole. The
 * compiler records it in the spec bundle as `stateBytes`.
 */
export function stateBytesBesideInputs(estimates: readonly LimitEstimate[]): number {
  return Math.max(...estimates.map((estimate) => estimate.stateBytes));
}

/**
 * Defaults a run could not start with: a run given no value holds the default in its state, so a
 * default the state has no room for fails every such run. Reported at the default.
 */
export function checkInputDefaults(
  declared: Readonly<Record<string, InputDecl>>,
  stateBytes: number,
): PipelineIssue[] {
  // As a run without inputs resolves them: the default, or null.
  const inputs = Object.fromEntries(
    Object.entries(declared).map(([name, decl]) => [name, decl.default ?? null]),
  );
  return oversizedInputs(inputs, stateBytes)
    .filter((input) => declared[input.name]?.default !== undefined)
    .map((input) => ({
      code: 'STATE_TOO_LARGE',
      severity: 'error',
      message: `the default of input "${input.name}" ${input.reason}`,
      hint: 'read long text from a file next to the pipeline with a prompt part of type: file (it is kept in the spec bundle, not the state), or drop the default and pass the text by reference (an S3 key) at run time',
      path: ['workflow', 'inputs', input.name, 'default'],
      range: [0, 0],
    }));
}

function checkMachine(
  definition: AslObject,
  machine: string,
): { readonly estimate: LimitEstimate; readonly issues: PipelineIssue[] } {
  const text = JSON.stringify(definition);
  const placeholders = text.match(/\$\{[A-Za-z0-9_]+\}/g)?.length ?? 0;
  const estimate: LimitEstimate = {
    machine,
    definitionBytes: Buffer.byteLength(text, 'utf8') + placeholders * ARN_GROWTH_BYTES,
    stateBytes: RUN_BYTES + variableBytes(definition) + stateGrowth(definition),
    historyEvents: EXECUTION_EVENTS + worstPathEvents(definition) + retryEvents(definition),
  };
  const where = machine === 'main' ? 'the state machine' : `the child state machine of ${machine}`;
  const issues: PipelineIssue[] = [];
  if (estimate.stateBytes > STATE_PAYLOAD_LIMIT_BYTES) {
    issues.push(
      limitIssue(
        'STATE_TOO_LARGE',
        `the execution state of ${where} could reach ${kib(estimate.stateBytes)} (references of its steps and the literal values it holds), over the 256 KiB payload limit`,
        'move large literal values (test_echo values, global_vars) into a file read with file_ops, or split the steps into nested pipelines (each child has its own state)',
      ),
    );
  }
  if (estimate.definitionBytes > DEFINITION_LIMIT_BYTES) {
    issues.push(
      limitIssue(
        'DEFINITION_TOO_LARGE',
        `${where} compiles to about ${kib(estimate.definitionBytes)} of ASL, over Step Functions' 1 MiB limit`,
        'move groups of steps into nested pipelines (type: pipeline): each runs as a state machine of its own',
      ),
    );
  }
  if (estimate.historyEvents > HISTORY_EVENT_QUOTA) {
    issues.push(
      limitIssue(
        'HISTORY_TOO_LONG',
        `a run of ${where} could take ${estimate.historyEvents} history events (its longest path, loops at their bounds, every retry spent), over Step Functions' quota of ${HISTORY_EVENT_QUOTA}`,
        'lower the loop bounds or retries, or move steps into nested pipelines (a child execution has its own history)',
      ),
    );
  }
  return { estimate, issues };
}

/** The state the steps of a definition add: a reference per step result, the values Pass states write. */
function stateGrowth(definition: AslObject): number {
  const written = new Map<string, number>();
  forEachState(definition, (state) => {
    const path = state.ResultPath;
    if (typeof path !== 'string' || !path.startsWith('$.steps')) return;
    // A literal Pass result is in the state as written; anything else is at most a reference.
    const bytes =
      state.Type === 'Pass' && state.Result !== undefined
        ? Math.max(REFERENCE_BYTES, jsonBytes(state.Result))
        : REFERENCE_BYTES;
    written.set(path, Math.max(written.get(path) ?? 0, bytes));
  });
  return [...written.values()].reduce((sum, bytes) => sum + bytes, 0);
}

/**
 * What the variables may take: the initial ones and every literal value a Pass state sets (a value
 * read from the state by path is already counted where it came from). An upper bound: a variable set
 * twice is counted twice.
 */
function variableBytes(definition: AslObject): number {
  let bytes = 0;
  forEachState(definition, (state) => {
    const parameters = asObject(state.Parameters);
    const written = state.ResultPath === '$.global_vars' ? parameters : asObject(parameters.global_vars);
    for (const [key, value] of Object.entries(written)) {
      if (!key.endsWith('.$')) bytes += jsonBytes(value);
    }
  });
  return bytes;
}

/**
 * Events of the longest path, following Next, Choice and Catch routes but no back edge. Iterative
 * (a post-order walk with its own stack): a pipeline can chain thousands of states.
 */
function worstPathEvents(machine: AslObject): number {
  const states = asObject(machine.States);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const stack: { readonly name: string; expanded: boolean }[] = [
    { name: String(machine.StartAt), expanded: false },
  ];
  while (stack.length > 0) {
    const top = stack.at(-1) as { readonly name: string; expanded: boolean };
    const state = asObject(states[top.name]);
    if (!top.expanded) {
      if (memo.has(top.name) || visiting.has(top.name) || states[top.name] === undefined) {
        stack.pop();
        continue;
      }
      visiting.add(top.name);
      top.expanded = true;
      for (const next of successors(state))
        if (!memo.has(next) && !visiting.has(next)) stack.push({ name: next, expanded: false });
      continue;
    }
    stack.pop();
    visiting.delete(top.name);
    // A successor still being visited is a back edge (a loop, whose entry carries its weight): 0.
    const after = Math.max(0, ...successors(state).map((next) => memo.get(next) ?? 0));
    memo.set(top.name, stateEvents(state) + syncEvents(state) + after);
  }
  return memo.get(String(machine.StartAt)) ?? 0;
}

/**
 * A `.sync` Task (a child execution, a test step's ECS task) adds one event, TaskSubmitted, to a
 * Task's five: it is submitted, then waited for.
 */
function syncEvents(state: AslObject): number {
  return state.Resource === START_EXECUTION_SYNC || state.Resource === RUN_TASK_SYNC ? 1 : 0;
}

/** Every Task state's retries, each spent once: attempts × (scheduled, started, failed). */
function retryEvents(definition: AslObject): number {
  let events = 0;
  forEachState(definition, (state) => {
    if (!Array.isArray(state.Retry)) return;
    for (const retrier of state.Retry) {
      const attempts = asObject(retrier).MaxAttempts;
      events += EVENTS_PER_RETRY * (typeof attempts === 'number' ? attempts : DEFAULT_MAX_ATTEMPTS);
    }
  });
  return events;
}

function successors(state: AslObject): string[] {
  const targets: (AslValue | undefined)[] = [state.Next, state.Default];
  for (const key of ['Choices', 'Catch'] as const) {
    const rules = state[key];
    if (Array.isArray(rules)) for (const rule of rules) targets.push(asObject(rule).Next);
  }
  return targets.filter((target): target is string => typeof target === 'string');
}

/** Calls `visit` on every state, those of Parallel branches and Map processors included. */
function forEachState(machine: AslObject, visit: (state: AslObject) => void): void {
  for (const value of Object.values(asObject(machine.States))) {
    const state = asObject(value);
    visit(state);
    if (Array.isArray(state.Branches))
      for (const branch of state.Branches) forEachState(asObject(branch), visit);
    for (const key of ['ItemProcessor', 'Iterator'] as const) {
      if (state[key] !== undefined) forEachState(asObject(state[key]), visit);
    }
  }
}

function limitIssue(code: PipelineIssue['code'], message: string, hint: string): PipelineIssue {
  return { code, severity: 'error', message, hint, path: [], range: [0, 0] };
}

/** Bytes of a value in the state, as Step Functions counts them: UTF-8 JSON. */
function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function asObject(value: AslValue | undefined): AslObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

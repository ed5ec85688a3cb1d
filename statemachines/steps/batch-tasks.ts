import { ErrorName } from '../../pipelines/contract/errors.js';
import type { AslObject, BatchStepSpec, LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import { BATCH_FAILURE_FIELDS } from '../conditions/state-values.js';
import { FALLBACK_MODEL_ERRORS, STEP_POLICY } from '../policies.js';
import { helperStateName } from '../state-names.js';
import { transition } from './context.js';
import { emitLlmCall } from './llm-graph.js';
import { stepResultPath, stepRunnerTask } from './step-runner-task.js';

/**
 * What `claude_batch` and `parallel_claude` share: the states that run one task and always end with
 * the task's status (`success`, `error` or `timeout`, never a failed branch), the consolidation Task
 * and the check of declared failure tolerances.
 */

/** Reading every task's artifact and writing the consolidated one needs more than a model call's minute. */
const CONSOLIDATE_TIMEOUT_SECONDS = 300;

/** One task's states inside a Map iteration or a Parallel branch. */
export interface TaskStatesOptions {
  /** Name of the task's first state. */
  readonly name: string;
  /** The batch step's name: its entry in the iteration's copy of `steps` holds the task's failures. */
  readonly step: string;
  /** The task's step id, or `{path}` when each Map iteration reads its own. */
  readonly stepId: string | { readonly path: string };
  /** TimeoutSeconds of the task's Task states: the declared per-task timeout. */
  readonly timeoutSeconds: number;
  readonly repairs: number;
  readonly fallbackModel: boolean;
  /**
   * Tasks sharing one step id (`files_from`): each status is named `STEP_ID[INDEX]` by the Map
   * iteration's `loop.index`, so the consolidation tells them apart.
   */
  readonly indexed?: boolean;
}

/** `STEP_ID[INDEX]`, the name `iterationSuffix` gives an iteration, from the iteration's own state. */
const INDEXED_STEP_ID = "States.Format('{}[{}]', $.stepId, $.loop.index)";

/** Where an indexed task's call leaves its status, so the state keeps `loop` for the naming Pass. */
const INDEXED_STATUS_PATH = '$.status';

/**
 * The states of one task: its call (with repair loop and fallback model, as any LLM step) ending in
 * a small status record `{stepId, status, degraded, artifact}`, and two Pass states that turn a
 * timeout or any other failure into `{stepId, status: 'timeout' | 'error', error}`. So one task's
 * failure never fails the batch, and every task's status reaches the consolidation.
 */
export function emitTaskStates(options: TaskStatesOptions): AslObject {
  const record = stepResultPath(options.step);
  const stepId: AslObject = options.indexed
    ? { 'stepId.$': INDEXED_STEP_ID }
    : typeof options.stepId === 'string'
      ? { stepId: options.stepId }
      : { 'stepId.$': options.stepId.path };
  const timedOut = helperStateName(options.name, 'TimedOut');
  const failed = helperStateName(options.name, 'Failed');
  const named = helperStateName(options.name, 'Named');
  const status = (value: string): AslObject => ({
    Type: 'Pass',
    Parameters: { ...stepId, status: value, 'error.$': `${record}.Error` },
    End: true,
  });
  return {
    ...emitLlmCall({
      name: options.name,
      stepId: options.stepId,
      recordPath: record,
      resultSelector: {
        'stepId.$': '$.stepId',
        status: 'success',
        'degraded.$': '$.degraded',
        'artifact.$': '$.artifact.key',
      },
      ...(options.indexed ? { resultPath: INDEXED_STATUS_PATH } : {}),
      timeoutSeconds: options.timeoutSeconds,
      retry: STEP_POLICY,
      repairs: options.repairs,
      ...(options.fallbackModel ? { fallbackModelErrors: FALLBACK_MODEL_ERRORS } : {}),
      onFailure: [
        { errors: ['States.Timeout'], next: timedOut },
        { errors: ['States.ALL'], next: failed },
      ],
      next: options.indexed ? named : undefined,
    }),
    ...(options.indexed
      ? {
          [named]: {
            Type: 'Pass',
            Parameters: {
              ...stepId,
              status: 'success',
              'degraded.$': `${INDEXED_STATUS_PATH}.degraded`,
              'artifact.$': `${INDEXED_STATUS_PATH}.artifact`,
            },
            End: true,
          },
        }
      : {}),
    [timedOut]: status('timeout'),
    [failed]: status('error'),
  };
}

/** Declared limits on failed tasks; beyond them the step fails with `Batch.TooManyFailures`. */
export interface FailureTolerance {
  readonly count?: number | undefined;
  readonly percentage?: number | undefined;
}

/**
 * The consolidation Task (`NAME.Consolidate`: the step runner reads every task's result and writes
 * one artifact, the step's reference) and, when failure tolerances are declared, a Choice on the
 * failure counts it exposes, failing the step with `Batch.TooManyFailures` past them.
 */
export function emitConsolidation(
  name: string,
  tolerance: FailureTolerance,
  next: string | undefined,
): { readonly startAt: string; readonly states: AslObject } {
  const consolidate = helperStateName(name, 'Consolidate');
  const check = helperStateName(name, 'CheckFailures');
  const tooMany = helperStateName(name, 'TooManyFailures');
  const rules: AslObject[] = [];
  const fields = `${stepResultPath(name)}.fields`;
  if (tolerance.count !== undefined) {
    rules.push({
      Variable: `${fields}.${BATCH_FAILURE_FIELDS.count}`,
      NumericGreaterThan: tolerance.count,
      Next: tooMany,
    });
  }
  if (tolerance.percentage !== undefined) {
    rules.push({
      Variable: `${fields}.${BATCH_FAILURE_FIELDS.percentage}`,
      NumericGreaterThan: tolerance.percentage,
      Next: tooMany,
    });
  }
  const states: AslObject = {
    [consolidate]: stepRunnerTask({
      stepId: name,
      resultPath: stepResultPath(name),
      timeoutSeconds: CONSOLIDATE_TIMEOUT_SECONDS,
      next: rules.length > 0 ? check : next,
    }),
  };
  if (rules.length > 0) {
    const done = helperStateName(name, 'Tolerated');
    states[check] = { Type: 'Choice', Choices: rules, Default: next ?? done };
    states[tooMany] = {
      Type: 'Fail',
      Error: ErrorName.BatchTooManyFailures,
      Cause: `more tasks of step ${name} failed than its batch_config tolerates`,
    };
    if (next === undefined) states[done] = { Type: 'Succeed' };
  }
  return { startAt: consolidate, states };
}

/** The batch step's own spec, from its task specs. */
export function batchSpec(
  type: BatchStepSpec['type'],
  tasks: readonly { readonly id: string; readonly stepId: string; readonly spec: LlmStepSpec }[],
  options: {
    readonly consolidate: boolean;
    readonly distributed: boolean;
    readonly files?: BatchStepSpec['files'];
  },
): BatchStepSpec {
  const first = tasks[0]?.spec;
  if (first === undefined) throw new Error('internal: a batch step has at least one task');
  return {
    kind: 'batch',
    type,
    family: first.family,
    model: first.model,
    // A glob's tasks are found when the step runs, and listed in its manifest.
    tasks: options.files === undefined ? tasks.map(({ id, stepId }) => ({ id, stepId })) : [],
    ...options,
  };
}

/** A state that passes its input on, for a step entry that must exist before the work starts. */
export function passState(next: string | undefined, fields: AslObject): AslObject {
  return { Type: 'Pass', ...fields, ...transition(next) };
}

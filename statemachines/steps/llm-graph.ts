import { ErrorName } from '../../pipelines/contract/errors.js';
import type { AslObject } from '../../pipelines/contract/spec-bundle.js';
import type { StepMode } from '../../pipelines/contract/step-event.js';
import { type RetryPolicy, STEP_POLICY } from '../policies.js';
import { helperStateName } from '../state-names.js';
import { stepRunnerTask } from './step-runner-task.js';

/** Where a failure goes that the call's own states do not handle, and which errors it takes. */
export interface FailureRoute {
  readonly errors: readonly string[];
  readonly next: string;
}

/** Options of {@link emitLlmCall}. */
export interface LlmCallOptions {
  /** Name of the call's first state; its helper states are named after it. */
  readonly name: string;
  /** The step id the runner runs, or `{path}` for one read from the state (a Map iteration). */
  readonly stepId: string | { readonly path: string };
  /**
   * Where failures and the repair counter are kept while the call recovers (`$.steps.NAME`): a
   * Catch writes `{Error, Cause}` there, and the fallback and repair Tasks read it back.
   */
  readonly recordPath: string;
  /** Where the step reference goes; absent: it becomes the state (a Map iteration's result). */
  readonly resultPath?: string;
  readonly resultSelector?: AslObject;
  readonly timeoutSeconds: number;
  /** Retry policy of the call's own Task. */
  readonly retry: RetryPolicy;
  /** Retry policy of each repair Task; default: the standard policy. */
  readonly repairRetry?: RetryPolicy;
  /** Retry policy of the fallback model's Task; default: the standard policy. */
  readonly fallbackModelRetry?: RetryPolicy;
  /** How many times an answer failing the output schema is sent back; 0: no repair loop. */
  readonly repairs: number;
  /** Errors that send the call to its fallback model; absent: the step has none. */
  readonly fallbackModelErrors?: readonly string[];
  /** Routes for failures nothing else handles, tried in order; none: the failure fails the run. */
  readonly onFailure: readonly FailureRoute[];
  readonly next: string | undefined;
}

/**
 * Compiles one model call into its states:
 *
 * - `NAME`: the step-runner Task, with its retry policy;
 * - with an output schema and repairs: on `Output.Invalid`, `NAME.RepairStart` (a Pass that starts
 *   the counter in the record), `NAME.Repair` (the runner re-asks with the validation errors),
 *   `NAME.RepairCount` and `NAME.RepairCheck` (a Pass adding one with `States.MathAdd`, a Choice
 *   against the budget) looping back to `NAME.Repair`; when the budget is spent, the fallback model,
 *   the first `onFailure` route taking `Output.Invalid`, or `NAME.Invalid` (a Fail state);
 * - with a fallback model: `NAME.FallbackModel`, the same call on the other model, marked degraded.
 *
 * Every failure not handled inside goes to the first matching `onFailure` route with the failure in
 * `recordPath`; a failing fallback model keeps the original failure there.
 */
export function emitLlmCall(options: LlmCallOptions): AslObject {
  const states: AslObject = {};
  const names = {
    repairStart: helperStateName(options.name, 'RepairStart'),
    repair: helperStateName(options.name, 'Repair'),
    repairCount: helperStateName(options.name, 'RepairCount'),
    repairCheck: helperStateName(options.name, 'RepairCheck'),
    invalid: helperStateName(options.name, 'Invalid'),
    fallbackModel: helperStateName(options.name, 'FallbackModel'),
  };
  const record = options.recordPath;
  const routes = (resultPath: string | null) =>
    options.onFailure.map((route) => catcher(route.errors, route.next, resultPath));
  const toFallbackModel =
    options.fallbackModelErrors === undefined
      ? []
      : [
          catcher(
            options.repairs > 0
              ? options.fallbackModelErrors.filter((name) => name !== ErrorName.OutputInvalid)
              : options.fallbackModelErrors,
            names.fallbackModel,
            record,
          ),
        ];
  const task = (mode: StepMode | undefined, retry: RetryPolicy, catches: readonly AslObject[]) =>
    stepRunnerTask({
      stepId: options.stepId,
      ...(options.resultPath === undefined ? {} : { resultPath: options.resultPath }),
      ...(options.resultSelector === undefined ? {} : { resultSelector: options.resultSelector }),
      timeoutSeconds: options.timeoutSeconds,
      next: options.next,
      ...(mode === undefined ? {} : { parameters: { mode, 'recovery.$': record } }),
      retry,
      catch: catches,
    });

  // A fallback model that takes every error leaves nothing for the routes after it.
  const catchesAll = options.fallbackModelErrors?.includes('States.ALL') === true;
  const afterFallbackModel = (resultPath: string | null) => (catchesAll ? [] : routes(resultPath));
  const repairCatch =
    options.repairs > 0 ? [catcher([ErrorName.OutputInvalid], names.repairStart, record)] : [];
  states[options.name] = task(undefined, options.retry, [
    ...repairCatch,
    ...toFallbackModel,
    ...afterFallbackModel(record),
  ]);

  if (options.repairs > 0) {
    states[names.repairStart] = {
      Type: 'Pass',
      Parameters: { count: 1, 'Error.$': `${record}.Error`, 'Cause.$': `${record}.Cause` },
      ResultPath: record,
      Next: names.repair,
    };
    states[names.repair] = task('repair', options.repairRetry ?? STEP_POLICY, [
      catcher([ErrorName.OutputInvalid], names.repairCount, `${record}.failure`),
      ...toFallbackModel,
      ...afterFallbackModel(record),
    ]);
    states[names.repairCount] = {
      Type: 'Pass',
      Parameters: {
        'count.$': `States.MathAdd(${record}.count, 1)`,
        'Error.$': `${record}.failure.Error`,
        'Cause.$': `${record}.failure.Cause`,
      },
      ResultPath: record,
      Next: names.repairCheck,
    };
    const exhausted =
      options.fallbackModelErrors !== undefined && takes(options.fallbackModelErrors, ErrorName.OutputInvalid)
        ? names.fallbackModel
        : options.onFailure.find((route) => takes(route.errors, ErrorName.OutputInvalid))?.next;
    states[names.repairCheck] = {
      Type: 'Choice',
      Choices: [
        {
          Variable: `${record}.count`,
          NumericGreaterThan: options.repairs,
          Next: exhausted ?? names.invalid,
        },
      ],
      Default: names.repair,
    };
    if (exhausted === undefined) {
      states[names.invalid] = { Type: 'Fail', Error: ErrorName.OutputInvalid, CausePath: `${record}.Cause` };
    }
  }
  if (options.fallbackModelErrors !== undefined) {
    // A failing fallback model leaves the original failure in the record (ResultPath null).
    states[names.fallbackModel] = task(
      'fallback_model',
      options.fallbackModelRetry ?? STEP_POLICY,
      routes(null),
    );
  }
  return states;
}

/** A Catch rule sending `errors` to `next`, with the error output at `resultPath` (null: dropped). */
export function catcher(errors: readonly string[], next: string, resultPath: string | null): AslObject {
  return { ErrorEquals: [...errors], ResultPath: resultPath, Next: next };
}

/** Whether a Catch on `errors` catches `error`. */
function takes(errors: readonly string[], error: string): boolean {
  return errors.includes(error) || errors.includes('States.ALL');
}

import type { AslObject, CallBudgetSpec, LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import { type FallbackAction, MODEL_FREE_FALLBACK_ACTIONS } from '../../pipelines/contract/step-options.js';
import {
  type ClaudeRobustStep,
  DEFAULT_RETRY_CONDITIONS,
  RETRY_CONDITIONS,
} from '../../pipelines/steps/claude-robust.js';
import { type DeclaredRetry, LAMBDA_ONLY_POLICY, type RetryPolicy } from '../policies.js';
import { resolvePreset } from '../presets.js';
import { helperStateName } from '../state-names.js';
import type { EmitContext, EmittedStep } from './context.js';
import { repairBudget, taskTimeoutSeconds } from './llm.js';
import { catcher, emitLlmCall } from './llm-graph.js';
import { claudeSpec } from './llm-spec.js';
import { stepResultPath, stepRunnerTask } from './step-runner-task.js';

/** The state of each fallback action, named after it. */
const ACTION_STATES: Readonly<Record<FallbackAction, string>> = {
  graceful_degradation: 'GracefulDegradation',
  use_cached_response: 'CachedResponse',
  simplified_prompt: 'SimplifiedPrompt',
  emergency_response: 'EmergencyResponse',
};

/** A fallback that calls no model only reads and writes stores. */
const STORE_ONLY_TIMEOUT_SECONDS = 60;

/** `retry_config.max_retries` when the step does not say. */
export const DEFAULT_MAX_RETRIES = 3;

/**
 * Compiles a `claude_robust` step (reference §5.9) into Step Functions machinery, within a **call
 * budget** of `max_retries + 1` provider calls for the whole step (see {@link splitCallBudget}):
 *
 * - the call's Task carries a `Retry` built from `retry_config` (the declared errors, the declared
 *   backoff; see `declaredRetriers`) whose `MaxAttempts` is its share of the budget minus one;
 * - a `Catch` on `States.ALL` sends any failure left to the fallback chain: first
 *   `NAME.FallbackModel` when the step's options, the workflow's `defaults.claude_options` or a
 *   preset the user named give a fallback model (the type's default preset brings none), then one
 *   state per `fallback_action`, in order (`NAME.GracefulDegradation`, `NAME.CachedResponse`,
 *   `NAME.SimplifiedPrompt`, `NAME.EmergencyResponse`); each link that fails hands over to the next,
 *   and the last one's failure fails the step. The links that call a model (the fallback model,
 *   `simplified_prompt`) retry the declared errors within their own share; the others are outside
 *   the budget;
 * - schema repairs are outside the budget too: one call each (not retried), at most
 *   `output_schema_repairs`.
 *
 * Every Task states its share in its `Comment`, and the spec records the split (`callBudget`), which
 * `show` prints beside the calls made. Every fallback answer is marked `degraded` by the step runner,
 * with the action and the original error.
 */
export function emitClaudeRobustStep(step: ClaudeRobustStep, ctx: EmitContext): EmittedStep {
  const config = step.retry_config;
  const actions = [config?.fallback_action ?? 'graceful_degradation'].flat();
  const workflow = ctx.pipeline.workflow;
  // The default preset (production) names sonnet as fallback model: only a preset the user chose brings it.
  const presetNamed = step.preset !== undefined || workflow.defaults?.claude_preset !== undefined;
  const base = claudeSpec(step, ctx.pipeline, resolvePreset(step, workflow), {
    presetFallbackModel: presetNamed,
  });
  const fallbackModel = base.fallback?.model;
  const maxRetries = config?.max_retries ?? DEFAULT_MAX_RETRIES;
  const repairs = repairBudget(base, step.output_schema_repairs);
  const budget = splitCallBudget({
    maxRetries,
    fallbackModel: fallbackModel !== undefined,
    simplifiedPrompt: actions.includes('simplified_prompt'),
    repairs,
  });
  if (budget.primary < 1) {
    const needed = [
      `1 for the step's own call`,
      ...(fallbackModel === undefined ? [] : [`1 for the fallback model ${fallbackModel}`]),
      ...(actions.includes('simplified_prompt') ? ['1 for simplified_prompt'] : []),
    ];
    ctx.report({
      code: 'INVALID_VALUE',
      // Only a declared max_retries can be this small: the default budget holds every link.
      path: [...ctx.path, 'retry_config', 'max_retries'],
      message:
        `claude_robust '${step.name}' has a call budget of ${budget.total} provider call(s) (max_retries ` +
        `${maxRetries} + 1), fallbacks included, but needs ${needed.length}: ${needed.join(', ')}`,
      hint: `set max_retries to at least ${needed.length - 1}, or drop the links that call a model`,
    });
  }
  const spec: LlmStepSpec = {
    ...base,
    fallback: { ...(fallbackModel === undefined ? {} : { model: fallbackModel }), actions },
    callBudget: budget,
  };
  const record = stepResultPath(step.name);
  const actionStates = actions.map((action) => helperStateName(step.name, ACTION_STATES[action]));
  const declared: DeclaredRetry = {
    maxRetries,
    backoff: config?.backoff_strategy ?? 'exponential',
    baseDelayMs: config?.base_delay_ms ?? 1000,
    errors: (config?.retry_conditions ?? DEFAULT_RETRY_CONDITIONS).flatMap(
      (condition) => RETRY_CONDITIONS[condition] ?? [],
    ),
  };
  // A Task whose share is N calls retries the declared errors N - 1 times.
  const within = (share: number | undefined): RetryPolicy => ({
    kind: 'declared',
    retry: { ...declared, maxRetries: Math.max(0, (share ?? 1) - 1) },
  });
  const states: AslObject = emitLlmCall({
    name: step.name,
    stepId: step.name,
    recordPath: record,
    resultPath: record,
    timeoutSeconds: taskTimeoutSeconds(spec),
    retry: within(budget.primary),
    repairRetry: LAMBDA_ONLY_POLICY,
    fallbackModelRetry: within(budget.fallbackModel),
    repairs,
    ...(fallbackModel === undefined ? {} : { fallbackModelErrors: ['States.ALL'] }),
    onFailure: [{ errors: ['States.ALL'], next: actionStates[0] as string }],
    next: ctx.next,
  });
  actions.forEach((action, index) => {
    const following = actionStates[index + 1];
    const callsModel = !MODEL_FREE_FALLBACK_ACTIONS.includes(action);
    states[actionStates[index] as string] = stepRunnerTask({
      stepId: step.name,
      resultPath: record,
      timeoutSeconds: callsModel ? taskTimeoutSeconds(spec) : STORE_ONLY_TIMEOUT_SECONDS,
      next: ctx.next,
      // The original failure stays in the record: a failing link's own error is dropped (ResultPath null).
      parameters: { mode: action, 'recovery.$': record },
      retry: callsModel ? within(budget.simplifiedPrompt) : LAMBDA_ONLY_POLICY,
      catch: following === undefined ? [] : [catcher(['States.ALL'], following, null)],
    });
  });
  annotate(states, step.name, budget, { fallbackModel, actions, actionStates });
  return { startAt: step.name, states, specs: { [step.name]: spec } };
}

/**
 * Splits a step's call budget, `max_retries + 1` provider calls, between the links of its chain
 * that call a model: the fallback model and `simplified_prompt` get one call each, the step's own
 * call the rest (less than 1 when the budget is too small for the chain: a compile error).
 *
 * The split is static because a Task's Retry `MaxAttempts` is: the step's own call ends in its
 * Catch either having spent its whole share (its retries ran out) or earlier, on an error it does
 * not retry (a permanent one, e.g. `Provider.AuthFailed`); the state machine cannot tell how many
 * calls that took, so the next link gets only its own share and the rest of the budget goes
 * unspent. The budget is a bound, never a quota to use up.
 *
 * @example
 * splitCallBudget({ maxRetries: 2, fallbackModel: true, simplifiedPrompt: false, repairs: 0 });
 * // { total: 3, primary: 2, fallbackModel: 1, repairs: 0 }
 */
export function splitCallBudget(options: {
  readonly maxRetries: number;
  readonly fallbackModel: boolean;
  readonly simplifiedPrompt: boolean;
  readonly repairs: number;
}): CallBudgetSpec {
  const total = options.maxRetries + 1;
  const later = (options.fallbackModel ? 1 : 0) + (options.simplifiedPrompt ? 1 : 0);
  return {
    total,
    primary: total - later,
    ...(options.fallbackModel ? { fallbackModel: 1 } : {}),
    ...(options.simplifiedPrompt ? { simplifiedPrompt: 1 } : {}),
    repairs: options.repairs,
  };
}

/**
 * The budget in words, as the step's Task `Comment` and `show` state it, e.g.
 * `call budget 3: primary up to 2, fallback model claude-sonnet-4-6 up to 1`.
 */
export function describeCallBudget(budget: CallBudgetSpec, fallbackModel?: string): string {
  const shares = [
    `primary up to ${budget.primary}`,
    ...(budget.fallbackModel === undefined
      ? []
      : [
          `fallback model${fallbackModel === undefined ? '' : ` ${fallbackModel}`} up to ${budget.fallbackModel}`,
        ]),
    ...(budget.simplifiedPrompt === undefined ? [] : [`simplified_prompt up to ${budget.simplifiedPrompt}`]),
  ];
  const repairs = budget.repairs > 0 ? `; schema repairs: up to ${budget.repairs} more, outside it` : '';
  return `call budget ${budget.total}: ${shares.join(', ')}${repairs}`;
}

/** Writes each Task's share of the budget into its `Comment`. */
function annotate(
  states: AslObject,
  name: string,
  budget: CallBudgetSpec,
  chain: {
    readonly fallbackModel: string | undefined;
    readonly actions: readonly FallbackAction[];
    readonly actionStates: readonly string[];
  },
): void {
  const comment = (state: string, text: string) => {
    const target = states[state] as AslObject | undefined;
    if (target !== undefined) target.Comment = text;
  };
  const of = `of the call budget ${budget.total}`;
  comment(
    name,
    `${describeCallBudget(budget, chain.fallbackModel)}; then ${chain.actions.join(', ')}. ` +
      `This Task: up to ${budget.primary} call(s) (Retry MaxAttempts ${budget.primary - 1} on the declared errors)`,
  );
  if (budget.fallbackModel !== undefined) {
    comment(
      helperStateName(name, 'FallbackModel'),
      `fallback model ${chain.fallbackModel}: up to ${budget.fallbackModel} call(s) ${of}`,
    );
  }
  comment(
    helperStateName(name, 'Repair'),
    `schema repair: 1 call, not retried, at most ${budget.repairs} repair(s), outside the call budget ${budget.total}`,
  );
  chain.actions.forEach((action, index) => {
    comment(
      chain.actionStates[index] as string,
      MODEL_FREE_FALLBACK_ACTIONS.includes(action)
        ? `${action}: no model call, outside the call budget ${budget.total}`
        : `${action}: up to ${budget.simplifiedPrompt ?? 1} call(s) ${of}`,
    );
  });
}

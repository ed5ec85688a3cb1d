import {
  type ClaudeRobustStep,
  DEFAULT_RETRY_CONDITIONS,
  type FallbackAction,
  RETRY_CONDITIONS,
} from '../../pipelines/steps/claude-robust.js';
import { declaredRetriers, STEP_RETRIERS } from '../policies.js';
import { resolvePreset } from '../presets.js';
import { helperStateName } from '../state-names.js';
import type { AslObject, LlmStepSpec } from '../types.js';
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

/**
 * Compiles a `claude_robust` step (reference §5.9) into Step Functions machinery:
 *
 * - the call's Task carries a `Retry` built from `retry_config` (the declared errors, `max_retries`,
 *   the declared backoff; see `declaredRetriers`) instead of the standard policy;
 * - a `Catch` on `States.ALL` sends any failure left to the fallback chain: first
 *   `NAME.FallbackModel` when the options or preset name a fallback model, then one state per
 *   `fallback_action`, in order (`NAME.GracefulDegradation`, `NAME.CachedResponse`,
 *   `NAME.SimplifiedPrompt`, `NAME.EmergencyResponse`); each link that fails hands over to the next,
 *   and the last one's failure fails the step.
 *
 * Every fallback answer is marked `degraded` by the step runner, with the action and the original
 * error.
 */
export function emitClaudeRobustStep(step: ClaudeRobustStep, ctx: EmitContext): EmittedStep {
  const config = step.retry_config;
  const actions = [config?.fallback_action ?? 'graceful_degradation'].flat();
  const base = claudeSpec(step, ctx.pipeline, resolvePreset(step, ctx.pipeline.workflow));
  const spec: LlmStepSpec = {
    ...base,
    fallback: { ...(base.fallback?.model === undefined ? {} : { model: base.fallback.model }), actions },
  };
  const record = stepResultPath(step.name);
  const actionStates = actions.map((action) => helperStateName(step.name, ACTION_STATES[action]));
  const retry = declaredRetriers({
    maxRetries: config?.max_retries ?? 3,
    backoff: config?.backoff_strategy ?? 'exponential',
    baseDelayMs: config?.base_delay_ms ?? 1000,
    errors: (config?.retry_conditions ?? DEFAULT_RETRY_CONDITIONS).flatMap(
      (condition) => RETRY_CONDITIONS[condition] ?? [],
    ),
  });
  const states: AslObject = emitLlmCall({
    name: step.name,
    stepId: step.name,
    recordPath: record,
    resultPath: record,
    timeoutSeconds: taskTimeoutSeconds(spec),
    retry,
    repairs: repairBudget(spec, step.output_schema_repairs),
    ...(spec.fallback?.model === undefined ? {} : { fallbackModelErrors: ['States.ALL'] }),
    onFailure: [{ errors: ['States.ALL'], next: actionStates[0] as string }],
    next: ctx.next,
  });
  actions.forEach((action, index) => {
    const following = actionStates[index + 1];
    const callsModel = action === 'simplified_prompt';
    states[actionStates[index] as string] = stepRunnerTask({
      stepId: step.name,
      resultPath: record,
      timeoutSeconds: callsModel ? taskTimeoutSeconds(spec) : STORE_ONLY_TIMEOUT_SECONDS,
      next: ctx.next,
      // The original failure stays in the record: a failing link's own error is dropped (ResultPath null).
      parameters: { mode: action, 'recovery.$': record },
      retry: callsModel ? STEP_RETRIERS : STEP_RETRIERS.slice(0, 1),
      catch: following === undefined ? [] : [catcher(['States.ALL'], following, null)],
    });
  });
  return { startAt: step.name, states, specs: { [step.name]: spec } };
}

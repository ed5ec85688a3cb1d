import type { AgentSpec } from '../../pipelines/contract/agent.js';
import type { AslObject, LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import { HISTORY_EVENT_QUOTA, setEventWeight, stateEvents } from '../history-events.js';
import { EVENTS_PER_RETRY } from '../limits.js';
import { FALLBACK_MODEL_ERRORS, retriersOf, STEP_POLICY } from '../policies.js';
import { helperStateName } from '../state-names.js';
import type { EmitContext } from './context.js';
import { catcher, type FailureRoute } from './llm-graph.js';
import { stepResultPath, stepRunnerTask } from './step-runner-task.js';

/** Room in a turn's Task, beyond the model call, for running its tool calls over the workspace. */
const TOOL_HEADROOM_SECONDS = 60;

/** Options of {@link emitAgentLoop}. */
export interface AgentLoopOptions {
  readonly name: string;
  readonly spec: LlmStepSpec;
  readonly agent: AgentSpec;
  /** TimeoutSeconds of a model call's Task; a turn's Task adds room for its tools. */
  readonly callTimeoutSeconds: number;
  /** Routes for failures the loop does not handle, tried in order; none: the failure fails the run. */
  readonly onFailure: readonly FailureRoute[];
  readonly next: string | undefined;
  /** Where `max_turns` is written, for the history issue; absent: the default bound. */
  readonly maxTurnsPath?: readonly (string | number)[];
}

/**
 * Compiles an agent step's tool-use loop, one step-runner Task per model turn, so every turn is
 * retried, recorded and bounded by Step Functions like any model call:
 *
 * ```
 * NAME (Pass: {turn: 1}) ─▶ NAME.Turn ─▶ NAME.TurnCheck ─done─▶ next
 *                              ▲               │not done
 *                              └───────────────┘
 * ```
 *
 * `NAME.Turn` sends `agent: $.steps.NAME` (`mode: agent_turn`); the runner answers `{turn: n+1,
 * done: false}` after a turn that called tools and the step's reference with `done: true` after the
 * final answer, both into `$.steps.NAME`. The runner bounds the loop: a turn that calls tools at
 * `maxTurns` fails with `Agent.MaxTurns`. With a fallback model, a turn failing on the errors that
 * send other steps to theirs is caught into `NAME.FallbackModel` (a Pass keeping the turn and the
 * failure) and the loop goes on from that turn in `NAME.FallbackTurn` / `NAME.FallbackTurnCheck`,
 * each answer marked degraded. Other failures go to `onFailure`.
 *
 * The entry state carries the history weight of every turn (`history-events.ts`), and a loop whose
 * turns could exceed the history quota is reported at `max_turns`.
 */
export function emitAgentLoop(
  options: AgentLoopOptions,
  ctx: Pick<EmitContext, 'report' | 'path'>,
): AslObject {
  const { name, agent } = options;
  const record = stepResultPath(name);
  const names = {
    turn: helperStateName(name, 'Turn'),
    check: helperStateName(name, 'TurnCheck'),
    fallbackModel: helperStateName(name, 'FallbackModel'),
    fallbackTurn: helperStateName(name, 'FallbackTurn'),
    fallbackCheck: helperStateName(name, 'FallbackTurnCheck'),
    done: helperStateName(name, 'Done'),
  };
  const fallback = options.spec.fallback?.model !== undefined;
  const routes = options.onFailure.map((route) => catcher(route.errors, route.next, record));
  const turnTask = (check: string, catches: readonly AslObject[]) =>
    stepRunnerTask({
      stepId: name,
      resultPath: record,
      timeoutSeconds: options.callTimeoutSeconds + TOOL_HEADROOM_SECONDS,
      next: check,
      parameters: { mode: 'agent_turn', 'agent.$': record },
      retry: STEP_POLICY,
      catch: catches,
    });
  const turnCheck = (turn: string): AslObject => ({
    Type: 'Choice',
    Choices: [{ Variable: `${record}.done`, BooleanEquals: true, Next: options.next ?? names.done }],
    Default: turn,
  });
  const states: AslObject = {
    [name]: { Type: 'Pass', Result: { turn: 1 }, ResultPath: record, Next: names.turn },
    [names.turn]: {
      Comment: `agent turn: up to ${agent.maxTurns} turns with ${agent.tools.join(', ')}`,
      ...turnTask(names.check, [
        ...(fallback ? [catcher(FALLBACK_MODEL_ERRORS, names.fallbackModel, `${record}.failure`)] : []),
        ...routes,
      ]),
    },
    [names.check]: turnCheck(names.turn),
  };
  if (fallback) {
    states[names.fallbackModel] = {
      Type: 'Pass',
      Parameters: { 'turn.$': `${record}.turn`, 'fallback.$': `${record}.failure` },
      ResultPath: record,
      Next: names.fallbackTurn,
    };
    states[names.fallbackTurn] = turnTask(names.fallbackCheck, routes);
    states[names.fallbackCheck] = turnCheck(names.fallbackTurn);
  }
  if (options.next === undefined) states[names.done] = { Type: 'Succeed' };
  boundHistory(states, options, ctx);
  return states;
}

/**
 * Makes the entry state carry the events of the whole loop at its bound, and reports a bound the
 * history quota cannot hold. A turn is its Task and its Choice, plus the Task's retries all spent;
 * with a fallback model the failing turn is taken once more, after the fallback's Pass. `limits.ts`
 * counts each Task state's retries once already, so those are left out here.
 */
function boundHistory(
  states: AslObject,
  options: AgentLoopOptions,
  ctx: Pick<EmitContext, 'report' | 'path'>,
): void {
  const entry = states[options.name] as AslObject;
  const task = states[helperStateName(options.name, 'Turn')] as AslObject;
  const check = states[helperStateName(options.name, 'TurnCheck')] as AslObject;
  const fallback = states[helperStateName(options.name, 'FallbackModel')] as AslObject | undefined;
  const retries = retriersOf(STEP_POLICY).reduce(
    (sum, retrier) => sum + EVENTS_PER_RETRY * Number(retrier.MaxAttempts ?? 0),
    0,
  );
  const perTurn = stateEvents(task) + stateEvents(check) + retries;
  const turnTasks = fallback === undefined ? 1 : 2;
  const fixed =
    stateEvents(entry) + (fallback === undefined ? 0 : stateEvents(fallback)) - turnTasks * retries;
  const total = (maxTurns: number) => fixed + (maxTurns + turnTasks - 1) * perTurn;
  const events = total(options.agent.maxTurns);
  for (const state of Object.values(states)) setEventWeight(state as AslObject, 0);
  setEventWeight(entry, events);
  if (events <= HISTORY_EVENT_QUOTA) return;
  const fits = Math.floor((HISTORY_EVENT_QUOTA - fixed) / perTurn) - (turnTasks - 1);
  ctx.report({
    code: 'HISTORY_TOO_LONG',
    path: [...ctx.path, ...(options.maxTurnsPath ?? [])],
    message: `agent step '${options.name}' could add about ${events} history events (${options.agent.maxTurns} turns of ${perTurn}, retries included), past Step Functions' quota of ${HISTORY_EVENT_QUOTA} per execution`,
    hint: `set max_turns to at most ${Math.max(fits, 1)}, or move the step into a nested pipeline (a child execution has its own history)`,
  });
}

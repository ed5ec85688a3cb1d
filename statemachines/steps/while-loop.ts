import { formatCondition } from '../../pipelines/conditions/format.js';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { AslObject } from '../../pipelines/contract/spec-bundle.js';
import type { Step } from '../../pipelines/schema.js';
import { DEFAULT_MAX_ITERATIONS, type WhileLoopStep } from '../../pipelines/steps/while-loop.js';
import { conditionTree } from '../conditions/compiled.js';
import { HISTORY_EVENT_QUOTA, longestPathEvents, setEventWeight } from '../history-events.js';
import { helperStateName } from '../state-names.js';
import { conditionBranch } from './condition-branch.js';
import { type EmitContext, type EmittedStep, mergeEmitted, transition } from './context.js';
import { bodyResults, insideLoop, withLoopContext } from './loop-context.js';
import { stepResultPath } from './step-runner-task.js';

/**
 * Compiles a `while_loop` into a Choice loop with its counter in the state's loop context:
 *
 * ```
 * W ─▶ [W.EvaluateWhile] ─▶ W.While ─true─▶ W.Guard ─below max─▶ body … ─▶ W.Next ─┐
 *          ▲                    │false          └─at max─▶ W.MaxIterations          │
 *          └────────────────────┼──────────────────────────────────────────────────┘
 *                               ▼
 *                             W.Done ─▶ W.Exit ─▶ next step
 * ```
 *
 * `W` sets `loop = {index: 0, iteration: 1, last_steps: {}}` (saving an enclosing loop's context as
 * `loop.parent`); the condition is evaluated before every iteration against the current state, never
 * frozen (pipeline_ex defect 7). Reaching `max_iterations` while the condition still holds fails with
 * `Loop.MaxIterations` (defect 16), or with `on_max_iterations: continue` ends the loop with
 * `max_iterations_reached: true`. The result is `{iterations, max_iterations_reached, last}`, `last`
 * holding the results of the body's steps in the last iteration (`{}` when none ran): `W.Next` copies
 * them into `loop.last_steps` after each iteration, since the body's own entries in `steps` are out of
 * scope after the loop and absent when no iteration ran. A loop whose iterations could exceed the
 * history quota is rejected here, at compile time.
 */
export function emitWhileLoopStep(step: WhileLoopStep, ctx: EmitContext): EmittedStep {
  const name = (suffix: string) => helperStateName(step.name, suffix);
  const max = step.max_iterations ?? DEFAULT_MAX_ITERATIONS;
  const nested = insideLoop(ctx);
  const expr = conditionTree(step.condition, [...ctx.path, 'condition'], ctx.pipeline);
  const body = ctx.emitSequence(step.steps as Step[], {
    path: [...ctx.path, 'steps'],
    knownGlobalVars: ctx.knownGlobalVars,
    next: name('Next'),
  });
  const test = conditionBranch(
    {
      owner: step.name,
      role: 'While',
      expr,
      whenTrue: name('Guard'),
      whenFalse: name('Done'),
      resultPath: stepResultPath(step.name),
    },
    ctx,
  );
  const parent: AslObject = nested ? { 'parent.$': '$.loop.parent' } : {};
  const atMax =
    step.on_max_iterations === 'continue'
      ? pass(
          {
            Parameters: { iterations: max, max_iterations_reached: true, 'last.$': LAST_STEPS },
            ResultPath: stepResultPath(step.name),
          },
          name('Exit'),
        )
      : {
          Type: 'Fail',
          Error: ErrorName.LoopMaxIterations,
          Cause: `while_loop ${step.name} ran max_iterations (${max}) times and its condition still holds: ${formatCondition(expr)}`,
        };
  const own: AslObject = {
    [step.name]: pass(
      {
        Parameters: { index: 0, iteration: 1, last_steps: {}, ...(nested ? { 'parent.$': '$.loop' } : {}) },
        ResultPath: '$.loop',
      },
      test.startAt,
    ),
    [name('Guard')]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.loop.index', NumericGreaterThanEquals: max, Next: name('MaxIterations') }],
      Default: body.startAt,
    },
    [name('Next')]: pass(
      {
        Parameters: {
          'index.$': 'States.MathAdd($.loop.index, 1)',
          'iteration.$': 'States.MathAdd($.loop.iteration, 1)',
          last_steps: bodyResults(step.steps as Step[]),
          ...parent,
        },
        ResultPath: '$.loop',
      },
      test.startAt,
    ),
    [name('MaxIterations')]: atMax,
    [name('Done')]: pass(
      {
        Parameters: { 'iterations.$': '$.loop.index', max_iterations_reached: false, 'last.$': LAST_STEPS },
        ResultPath: stepResultPath(step.name),
      },
      name('Exit'),
    ),
    // Rebuilds the state without the loop's context (or with the enclosing loop's back), so the
    // state after the loop has the shape it had before it.
    [name('Exit')]: {
      Type: 'Pass',
      Parameters: {
        'run.$': '$.run',
        'inputs.$': '$.inputs',
        'global_vars.$': '$.global_vars',
        'steps.$': '$.steps',
        ...(nested ? { 'loop.$': '$.loop.parent' } : {}),
      },
      ...transition(ctx.next),
    },
  };
  const loop = mergeEmitted(step.name, [
    { states: own, specs: {} },
    test,
    { ...body, states: withLoopContext(body.states) },
  ]);
  boundHistory(
    step,
    loop,
    max,
    longestPathEvents(body.states, body.startAt),
    Object.keys(test.states).length > 1,
    ctx,
  );
  return loop;
}

/** Where the loop context keeps the body's results of the last iteration that ran. */
const LAST_STEPS = '$.loop.last_steps';

function pass(fields: AslObject, next: string): AslObject {
  return { Type: 'Pass', ...fields, Next: next };
}

/**
 * Rejects a loop whose iterations would not fit in the history quota, and makes the loop's entry
 * state carry the events of all its iterations for the estimates of enclosing loops.
 */
function boundHistory(
  step: WhileLoopStep,
  loop: EmittedStep,
  max: number,
  bodyEvents: number,
  evaluated: boolean,
  ctx: EmitContext,
): void {
  const states = loop.states;
  const stepStates = (step.steps as Step[]).map((inner) => inner.name);
  // One iteration: the test (a Choice, after an evaluation Task when the runner decides), the
  // guard, the body and the counter.
  const test = evaluated ? 7 : 2;
  const perIteration = test + 2 + bodyEvents + 2;
  const total = max * perIteration + test + 6;
  for (const state of Object.values(states)) setEventWeight(state as AslObject, 0);
  setEventWeight(states[step.name] as AslObject, total);
  if (total <= HISTORY_EVENT_QUOTA) return;
  const fits = Math.floor((HISTORY_EVENT_QUOTA - test - 6) / perIteration);
  ctx.report({
    code: 'HISTORY_TOO_LONG',
    path: [...ctx.path, ...(step.max_iterations === undefined ? [] : ['max_iterations'])],
    message: `while_loop '${step.name}' could add about ${total} history events (${max} iterations of ${perIteration}: ${stepStates.join(', ')}), past Step Functions' quota of ${HISTORY_EVENT_QUOTA} per execution`,
    hint: `set max_iterations to at most ${Math.max(fits, 1)}, or move the body into a nested pipeline step (a child execution has its own history)`,
  });
}

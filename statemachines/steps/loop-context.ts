import { type AslObject, type AslValue, Placeholder } from '../../pipelines/contract/spec-bundle.js';
import type { Step } from '../../pipelines/schema.js';
import { allSteps, hasResult } from '../../pipelines/step-tree.js';
import type { EmitContext } from './context.js';
import { stepResultPath } from './step-runner-task.js';

/**
 * The loop context in the state. Inside every loop body the state has one more key, `loop`: a
 * for_loop's Map writes it per iteration through its ItemSelector, a while_loop keeps its counter
 * there. A loop nested in a loop saves the outer context as `loop.parent`.
 */

/** Where the loop context is in the state. */
export const LOOP_PATH = '$.loop';

/** Whether the step being emitted is inside a loop body (at any depth), so `$.loop` exists. */
export function insideLoop(ctx: Pick<EmitContext, 'pipeline' | 'path'>): boolean {
  const key = ctx.path.join('\u0000');
  for (const site of allSteps(ctx.pipeline.workflow.steps, ['workflow', 'steps'])) {
    if (site.path.join('\u0000') !== key) continue;
    return site.ancestors.some(({ list }) => list.kind !== 'branch');
  }
  return false;
}

/**
 * Parameters copying the results of a loop body's steps from the state, `{NAME.$: $.steps.NAME}`:
 * what a for_loop iteration records as its `steps`, and a while_loop as its `last`.
 */
export function bodyResults(steps: readonly Step[]): AslObject {
  const results: AslObject = {};
  for (const inner of steps) if (hasResult(inner)) results[`${inner.name}.$`] = stepResultPath(inner.name);
  return results;
}

/**
 * A loop body's states with `loop.$` added to every step-runner Task that does not pass it yet, so
 * `{{loop.…}}` templates render per iteration (pipeline_ex defect 7) whatever step type emitted the
 * Task. Parallel branches see the state as it is and get it too; Map processors start from their
 * own ItemSelector, so they are left alone.
 */
export function withLoopContext(states: AslObject): AslObject {
  return Object.fromEntries(Object.entries(states).map(([name, state]) => [name, addLoop(state)]));
}

function addLoop(value: AslValue): AslValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const state = value;
  if (state.Type === 'Task' && state.Resource === Placeholder.StepRunner && isObject(state.Parameters)) {
    const parameters = state.Parameters;
    if ('steps.$' in parameters && !('loop.$' in parameters))
      return { ...state, Parameters: { ...parameters, 'loop.$': LOOP_PATH } };
    return state;
  }
  if (
    state.Type === 'Parallel' &&
    state.Parameters === undefined &&
    state.InputPath === undefined &&
    Array.isArray(state.Branches)
  ) {
    const branches = state.Branches.map((branch) =>
      isObject(branch) && isObject(branch.States)
        ? { ...branch, States: withLoopContext(branch.States) }
        : branch,
    );
    return { ...state, Branches: branches };
  }
  return state;
}

function isObject(value: AslValue | undefined): value is AslObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

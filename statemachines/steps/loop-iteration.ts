import { formatCondition } from '../../pipelines/conditions/format.js';
import type { AslObject } from '../../pipelines/contract/spec-bundle.js';
import type { Step } from '../../pipelines/schema.js';
import type { ForLoopStep } from '../../pipelines/steps/for-loop.js';
import { conditionTree } from '../conditions/compiled.js';
import { helperStateName } from '../state-names.js';
import { conditionBranch } from './condition-branch.js';
import type { EmitContext, EmittedStep } from './context.js';
import { bodyResults, withLoopContext } from './loop-context.js';
import { stepResultPath } from './step-runner-task.js';

/**
 * What one iteration of a for_loop's Map runs, and what it returns (the loop's `iterations[i]`):
 *
 * - the body, its step-runner Tasks given `loop` so templates render per item, then `L.Iteration`:
 *   `{index, item, status: "SUCCEEDED", steps: {NAME: result, …}}` for each body step with a result;
 * - with `continue_condition`, first a Choice (`L.Continue`): when it holds, `L.SkipContinue`
 *   returns `{index, item, status: "SKIPPED", reason}` and the body does not run;
 * - with `break_on_error: false`, the body runs inside a one-branch Parallel (`L.Try`) whose Catch
 *   turns a failure into `{index, item, status: "FAILED", error, cause}` (`L.Failed`), so the other
 *   iterations go on and the failure is recorded, not hidden.
 */
export function iterationStates(
  step: ForLoopStep,
  ctx: EmitContext,
): { readonly processor: AslObject; readonly emitted: Omit<EmittedStep, 'startAt'> } {
  const name = (suffix: string) => helperStateName(step.name, suffix);
  const steps = step.steps as Step[];
  const body = ctx.emitSequence(steps, {
    path: [...ctx.path, 'steps'],
    knownGlobalVars: ctx.knownGlobalVars,
    next: name('Iteration'),
  });
  const record = {
    Type: 'Pass',
    Parameters: { ...itemFields(), status: 'SUCCEEDED', steps: bodyResults(steps) },
    End: true,
  };
  let states: AslObject = { ...withLoopContext(body.states), [name('Iteration')]: record };
  let startAt = body.startAt;
  if (step.break_on_error === false) {
    states = {
      [name('Try')]: {
        Type: 'Parallel',
        Branches: [{ StartAt: startAt, States: states }],
        // The one branch's output is the iteration's result.
        OutputPath: '$[0]',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.loop.error', Next: name('Failed') }],
        End: true,
      },
      [name('Failed')]: {
        Type: 'Pass',
        Parameters: {
          ...itemFields(),
          status: 'FAILED',
          'error.$': '$.loop.error.Error',
          'cause.$': '$.loop.error.Cause',
        },
        End: true,
      },
    };
    startAt = name('Try');
  }
  const specs = { ...body.specs };
  if (step.continue_condition !== undefined) {
    const expr = conditionTree(step.continue_condition, [...ctx.path, 'continue_condition'], ctx.pipeline);
    const branch = conditionBranch(
      {
        owner: step.name,
        role: 'Continue',
        expr,
        whenTrue: name('SkipContinue'),
        whenFalse: startAt,
        resultPath: stepResultPath(step.name),
        inLoop: true,
      },
      ctx,
    );
    const skip = {
      Type: 'Pass',
      Parameters: {
        ...itemFields(),
        status: 'SKIPPED',
        reason: `continue_condition held: ${formatCondition(expr)}`,
      },
      End: true,
    };
    states = { ...branch.states, ...states, [name('SkipContinue')]: skip };
    Object.assign(specs, branch.specs);
    startAt = branch.startAt;
  }
  return { processor: { StartAt: startAt, States: states }, emitted: { states: {}, specs } };
}

function itemFields(): AslObject {
  return { 'index.$': '$.loop.index', 'item.$': '$.loop.item' };
}

import { formatCondition } from '../../pipelines/conditions/format.js';
import type { Step } from '../../pipelines/schema.js';
import type { ConditionSource } from '../../pipelines/steps/condition.js';
import { conditionTree } from '../conditions/compiled.js';
import { helperStateName } from '../state-names.js';
import { conditionBranch } from './condition-branch.js';
import { type EmitContext, type EmittedStep, mergeEmitted, transition } from './context.js';
import { stepResultPath } from './step-runner-task.js';

/**
 * The step-level `condition:` of any step: a Choice in front of the step's own states. When the
 * condition does not hold, a Pass writes `{skipped: true, reason: "condition not met: …"}` as the
 * step's result and the pipeline continues after the step (pipeline_ex ignores conditions inside
 * loops, defect 22; here every step's condition is evaluated where the step is).
 */
export function gateStep(step: Step, emitted: EmittedStep, ctx: EmitContext): EmittedStep {
  const source = (step as { readonly condition?: ConditionSource }).condition;
  if (source === undefined || step.type === 'while_loop') return emitted;
  const expr = conditionTree(source, [...ctx.path, 'condition'], ctx.pipeline);
  const skip = helperStateName(step.name, 'Skipped');
  const skipped = {
    Type: 'Pass',
    Result: { skipped: true, reason: `condition not met: ${formatCondition(expr)}` },
    ResultPath: stepResultPath(step.name),
    ...transition(ctx.next),
  };
  const branch = conditionBranch(
    {
      owner: step.name,
      role: 'Condition',
      expr,
      whenTrue: emitted.startAt,
      whenFalse: skip,
      resultPath: stepResultPath(step.name),
    },
    ctx,
  );
  return mergeEmitted(branch.startAt, [branch, emitted, { states: { [skip]: skipped }, specs: {} }]);
}

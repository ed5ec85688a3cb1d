import { formatCondition } from '../../pipelines/conditions/format.js';
import type { Expr } from '../../pipelines/contract/condition-ast.js';
import type { AslObject, ConditionStepSpec } from '../../pipelines/contract/spec-bundle.js';
import { choiceRule } from '../conditions/choice-rule.js';
import { stateLocator } from '../conditions/state-values.js';
import { helperStateName } from '../state-names.js';
import type { EmitContext, EmittedStep } from './context.js';
import { insideLoop, LOOP_PATH } from './loop-context.js';
import { stepRunnerTask } from './step-runner-task.js';

/** An evaluation reads at most a few small artifacts; it calls no provider. */
export const EVALUATION_TIMEOUT_SECONDS = 60;

/** Options of {@link conditionBranch}. */
export interface ConditionBranchOptions {
  /** The step the branch belongs to; its helper states are named `OWNER.ROLE…`. */
  readonly owner: string;
  /** What the condition is for, in the state names: `Condition`, `Continue`, `While`. */
  readonly role: string;
  readonly expr: Expr;
  readonly whenTrue: string;
  readonly whenFalse: string;
  /** Where an evaluation Task writes `{condition_met}`, when the step runner must decide. */
  readonly resultPath: string;
  /** Whether the branch runs inside a loop body, where `$.loop` exists (default: where `ctx` is). */
  readonly inLoop?: boolean;
}

/**
 * A Choice between two states on a condition. When a Choice rule can express the condition, that
 * is the whole sub-graph (`OWNER.ROLE`). Otherwise a step-runner Task (`OWNER.EvaluateROLE`, spec
 * kind `condition`) evaluates it into the state first, and the Choice tests its answer.
 */
export function conditionBranch(options: ConditionBranchOptions, ctx: EmitContext): EmittedStep {
  const { owner, role, expr, whenTrue, whenFalse, resultPath } = options;
  const choice = helperStateName(owner, role);
  const text = formatCondition(expr);
  const rule = choiceRule(expr, stateLocator(ctx.pipeline));
  if (rule !== undefined) {
    return { startAt: choice, states: { [choice]: choiceState(text, rule, whenTrue, whenFalse) }, specs: {} };
  }
  const evaluate = helperStateName(owner, `Evaluate${role}`);
  const spec: ConditionStepSpec = { kind: 'condition', mode: 'test', expression: expr, text };
  const task = evaluationTask(evaluate, resultPath, choice, options.inLoop ?? insideLoop(ctx));
  const tested: AslObject = { Variable: `${resultPath}.condition_met`, BooleanEquals: true };
  return {
    startAt: evaluate,
    states: { [evaluate]: task, [choice]: choiceState(text, tested, whenTrue, whenFalse) },
    specs: { [evaluate]: spec },
  };
}

/** A step-runner Task evaluating a spec whose id is its state name; inside a loop it passes `loop`. */
export function evaluationTask(stepId: string, resultPath: string, next: string, inLoop: boolean): AslObject {
  return stepRunnerTask({
    stepId,
    resultPath,
    timeoutSeconds: EVALUATION_TIMEOUT_SECONDS,
    next,
    ...(inLoop ? { loop: LOOP_PATH } : {}),
  });
}

function choiceState(text: string, rule: AslObject, whenTrue: string, whenFalse: string): AslObject {
  return {
    Type: 'Choice',
    Comment: `if ${text}`,
    Choices: [{ ...rule, Next: whenTrue }],
    Default: whenFalse,
  };
}

import { formatCondition } from '../../pipelines/conditions/format.js';
import type { AslObject, ConditionStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { Step } from '../../pipelines/schema.js';
import type { SwitchStep } from '../../pipelines/steps/switch.js';
import { expressionTree } from '../conditions/compiled.js';
import { type StateValue, stateLocator } from '../conditions/state-values.js';
import { helperStateName } from '../state-names.js';
import { evaluationTask } from './condition-branch.js';
import { type EmitContext, type EmittedStep, mergeEmitted, transition } from './context.js';
import { insideLoop } from './loop-context.js';
import { stepResultPath } from './step-runner-task.js';

/** What a switch records when no case matches. */
export const DEFAULT_BRANCH = 'default';

/**
 * Compiles a `switch`: a Choice over the expression's value with one rule per case, each leading to
 * a Pass that records `{branch: KEY}` as the step's result and then to the case's steps; no match
 * leads to the `default` steps (or straight on) with `{branch: "default"}`. Every branch continues
 * at the step after the switch. The expression is read from the state when it is a path there;
 * otherwise a step-runner Task evaluates it first (`SWITCH` with a `condition` spec, mode `value`).
 */
export function emitSwitchStep(step: SwitchStep, ctx: EmitContext): EmittedStep {
  const expr = expressionTree(step.expression, [...ctx.path, 'expression'], ctx.pipeline);
  const inState = expr.kind === 'ref' ? stateLocator(ctx.pipeline)(expr) : undefined;
  const choice = inState === undefined ? helperStateName(step.name, 'Choice') : step.name;
  const value: StateValue = inState ?? { path: `${stepResultPath(step.name)}.value` };

  const branches: EmittedStep[] = [];
  const rules: AslObject[] = [];
  for (const [index, [key, steps]] of Object.entries(step.cases).entries()) {
    const branch = emitBranch(
      step,
      key,
      caseStateName(step.name, key, index),
      steps as Step[],
      ['cases', key],
      ctx,
    );
    branches.push(branch);
    rules.push({ ...caseRule(value, key), Next: branch.startAt });
  }
  const fallback = emitBranch(
    step,
    DEFAULT_BRANCH,
    helperStateName(step.name, 'Default'),
    (step.default ?? []) as Step[],
    ['default'],
    ctx,
  );
  const choiceState: AslObject = {
    Type: 'Choice',
    Comment: `switch on ${formatCondition(expr)}`,
    Choices: rules,
    Default: fallback.startAt,
  };

  const parts: Omit<EmittedStep, 'startAt'>[] = [
    ...branches,
    fallback,
    { states: { [choice]: choiceState }, specs: {} },
  ];
  if (inState !== undefined) return mergeEmitted(choice, parts);
  const spec: ConditionStepSpec = {
    kind: 'condition',
    mode: 'value',
    expression: expr,
    text: formatCondition(expr),
  };
  const task = evaluationTask(step.name, stepResultPath(step.name), choice, insideLoop(ctx));
  return mergeEmitted(step.name, [...parts, { states: { [step.name]: task }, specs: { [step.name]: spec } }]);
}

/** `SWITCH.Case.KEY`, or `SWITCH.CaseN` for a key that is not a plain word. */
function caseStateName(name: string, key: string, index: number): string {
  return helperStateName(name, /^[A-Za-z0-9_-]{1,40}$/.test(key) ? `Case.${key}` : `Case${index + 1}`);
}

/** A Pass recording the branch, then the branch's steps, which continue after the switch. */
function emitBranch(
  step: SwitchStep,
  key: string,
  record: string,
  steps: readonly Step[],
  field: readonly string[],
  ctx: EmitContext,
): EmittedStep {
  const body =
    steps.length === 0
      ? undefined
      : ctx.emitSequence(steps, {
          path: [...ctx.path, ...field],
          knownGlobalVars: ctx.knownGlobalVars,
          next: ctx.next,
        });
  const pass = {
    Type: 'Pass',
    Result: { branch: key },
    ResultPath: stepResultPath(step.name),
    ...transition(body?.startAt ?? ctx.next),
  };
  return mergeEmitted(record, [{ states: { [record]: pass }, specs: {} }, ...(body ? [body] : [])]);
}

/**
 * A case key matches a string equal to it, a number it spells (`"2"` matches 2) and a boolean it
 * spells (`"true"`); YAML map keys are strings, so this is how `1:` and `true:` cases match.
 */
function caseRule(value: StateValue, key: string): AslObject {
  const typed = (test: string, comparison: AslObject): AslObject => ({
    And: [
      { Variable: value.path, IsPresent: true },
      { Variable: value.path, [test]: true },
      { Variable: value.path, ...comparison },
    ],
  });
  const options = [typed('IsString', { StringEquals: key })];
  if (/^-?\d+(\.\d+)?$/.test(key)) options.push(typed('IsNumeric', { NumericEquals: Number(key) }));
  if (key === 'true' || key === 'false') options.push(typed('IsBoolean', { BooleanEquals: key === 'true' }));
  return options.length === 1 ? (options[0] as AslObject) : { Or: options };
}

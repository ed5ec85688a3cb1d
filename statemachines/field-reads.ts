import type { Expr } from '../pipelines/contract/condition-ast.js';
import type { Step } from '../pipelines/schema.js';
import type { ConditionSource } from '../pipelines/steps/condition.js';
import type { Pipeline } from '../pipelines/types.js';
import type { FieldPath } from '../pipelines/yaml-ranges.js';
import { choiceRule } from './conditions/choice-rule.js';
import { conditionTree, expressionTree } from './conditions/compiled.js';
import {
  BATCH_FAILURE_FIELDS,
  type FieldRead,
  type LocateValue,
  type StateValue,
} from './conditions/state-values.js';

/**
 * The answer fields the Choice states of one step read from the state, found from the step itself
 * (its conditions and switch expression, as the emitters will compile them), not from what they
 * emit: a step-level `condition`, a while_loop's condition, a for_loop's `continue_condition`, a
 * switch expression that is a path in the state, and a claude_batch's failure check. A condition the
 * step runner evaluates (a Choice rule cannot express it) reads nothing from the state; a template
 * reads answers from S3 and is no Choice state at all.
 */
export function stepFieldReads(
  step: Step,
  path: FieldPath,
  pipeline: Pipeline,
  locate: LocateValue,
): FieldRead[] {
  const condition = (source: ConditionSource, field: string) =>
    choiceFieldReads(conditionTree(source, [...path, field], pipeline), locate);
  // A while_loop's `condition` is its loop condition (`gateStep` leaves it to the loop).
  const gate = (step as { readonly condition?: ConditionSource }).condition;
  const reads = gate === undefined || step.type === 'while_loop' ? [] : condition(gate, 'condition');
  switch (step.type) {
    case 'while_loop':
      return [...reads, ...condition(step.condition, 'condition')];
    case 'for_loop':
      return step.continue_condition === undefined
        ? reads
        : [...reads, ...condition(step.continue_condition, 'continue_condition')];
    case 'switch': {
      const expr = expressionTree(step.expression, [...path, 'expression'], pipeline);
      return [...reads, ...answerFields(expr.kind === 'ref' ? [locate(expr)] : [])];
    }
    case 'claude_batch': {
      // Its own counts, which its consolidation fills (not an answer), under the same `fields` key.
      const config = step.batch_config;
      const checked = [
        ...(config?.tolerated_failure_count === undefined ? [] : [BATCH_FAILURE_FIELDS.count]),
        ...(config?.tolerated_failure_percentage === undefined ? [] : [BATCH_FAILURE_FIELDS.percentage]),
      ];
      return [...reads, ...checked.map((field) => ({ step: step.name, field }))];
    }
    default:
      return reads;
  }
}

/**
 * The answer fields a condition's Choice rule reads: those of the values the rule is built from,
 * recorded as `choiceRule` locates them. Nothing when no Choice rule can express the condition.
 */
export function choiceFieldReads(expr: Expr, locate: LocateValue): FieldRead[] {
  const located: (StateValue | undefined)[] = [];
  const rule = choiceRule(expr, (ref) => {
    const value = locate(ref);
    located.push(value);
    return value;
  });
  return rule === undefined ? [] : answerFields(located);
}

function answerFields(values: readonly (StateValue | undefined)[]): FieldRead[] {
  return values.flatMap((value) => {
    const read = value?.answerField;
    // A field all digits is written as an index (`fields[0]`), which reads no key of the `fields`
    // object, so exposing it would change nothing but the bundle.
    return read === undefined || /^\d+$/.test(read.field) ? [] : [read];
  });
}

import { evaluateCondition, evaluateExpression } from '../../pipelines/conditions/evaluate.js';
import type { ConditionStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { loadConditionReader } from '../step-runner/condition-reader.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';

/** Longest string a switch value may be in the state; case keys are at most this long too. */
export const MAX_SWITCH_VALUE_CHARS = 1024;

/**
 * Evaluates a condition a Choice rule cannot express: `{condition_met}` for a test, `{value}` for
 * a switch expression. A switch value enters the state only when it could match a case (a string
 * of at most {@link MAX_SWITCH_VALUE_CHARS} characters, a number or a boolean); anything else
 * is `null`, which matches no case, so an answer never reaches the state through a switch.
 */
export async function runConditionStep(
  event: StepRunnerEvent,
  spec: ConditionStepSpec,
  deps: Pick<StepRunnerDeps, 'artifacts'>,
): Promise<{ condition_met: boolean } | { value: string | number | boolean | null }> {
  const read = await loadConditionReader(event, spec.expression, deps.artifacts);
  if (spec.mode === 'test') return { condition_met: evaluateCondition(spec.expression, read) };
  const value = evaluateExpression(spec.expression, read);
  const matchable =
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    (typeof value === 'string' && value.length <= MAX_SWITCH_VALUE_CHARS);
  return { value: matchable ? value : null };
}

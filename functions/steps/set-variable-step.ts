import type { SetVariableStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { referencedSteps, TemplateScope } from '../llm/template-scope.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';

/** Evaluates a `set_variable` step whose values read step outputs; returns the new variables. */
export async function runSetVariableStep(
  event: StepRunnerEvent,
  spec: SetVariableStepSpec,
  deps: StepRunnerDeps,
): Promise<Record<string, unknown>> {
  const values = Object.values(spec.variables);
  const scope = await TemplateScope.load(event, referencedSteps(values), deps.artifacts);
  const evaluated = Object.fromEntries(
    Object.entries(spec.variables).map(([name, value]) => [name, scope.evaluate(value)]),
  );
  return { ...event.global_vars, ...evaluated };
}

import { ErrorName } from '../../pipelines/contract/errors.js';
import type { TestEchoStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { DataStepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { FAIL_ECHO_VALUE } from '../../pipelines/steps/test-echo.js';
import { referencedSteps, TemplateScope } from '../llm/template-scope.js';
import { ElexirionError } from '../shared/errors.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import { storeDataStepResult } from './data-step-result.js';

/**
 * Runs a `test_echo` step: fails with Step.EchoFailed when it is a failing echo; otherwise evaluates
 * the value (a whole template keeps its type) and stores `{result: value}`, the shape a Pass state
 * gives a literal echo.
 */
export async function runTestEchoStep(
  event: StepRunnerEvent,
  spec: TestEchoStepSpec,
  deps: StepRunnerDeps,
): Promise<DataStepRef> {
  if (spec.failMessage !== undefined) throw new ElexirionError(ErrorName.StepEchoFailed, spec.failMessage);
  const scope = await TemplateScope.load(event, referencedSteps([spec.value]), deps.artifacts);
  const value = scope.evaluate(spec.value);
  if (value === FAIL_ECHO_VALUE) {
    throw new ElexirionError(
      ErrorName.StepEchoFailed,
      `the value of test_echo step "${event.stepId}" is ${FAIL_ECHO_VALUE}`,
    );
  }
  return storeDataStepResult(event, 'test_echo', { result: value }, deps);
}

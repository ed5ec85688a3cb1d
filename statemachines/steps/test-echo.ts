import type { AslObject, AslValue } from '../../pipelines/contract/spec-bundle.js';
import { DEFAULT_ECHO_VALUE, FAIL_ECHO_VALUE, type TestEchoStep } from '../../pipelines/steps/test-echo.js';
import { compileValue, fitsPassState, setParameter } from './asl-values.js';
import { type EmitContext, type EmittedStep, singleState, transition } from './context.js';
import { dataStepTask } from './data-task.js';
import { stepResultPath } from './step-runner-task.js';

/** The cause of a failing test_echo that names none. */
const DEFAULT_ECHO_ERROR = 'test_echo failed';

/**
 * Compiles a `test_echo` step. Its result is `{result: VALUE}` at `$.steps.NAME`, whichever state
 * computes it: a Pass state when ASL alone can (a literal, or templates of inputs and variables), the
 * step runner when the value reads step outputs (which live in S3) or calls a function. A failing
 * echo (`fail: true`, or the value `"__FAIL__"`) is a step-runner Task that fails with the permanent
 * error `Step.EchoFailed` and `error_message` as its cause.
 */
export function emitTestEchoStep(step: TestEchoStep, ctx: EmitContext): EmittedStep {
  const value = step.value === undefined ? DEFAULT_ECHO_VALUE : step.value;
  if (step.fail === true || value === FAIL_ECHO_VALUE) {
    // A Task, not a Fail state: the steps after it stay reachable (a condition may skip the echo)
    // and a Catch around it can handle the error.
    const spec = { kind: 'test_echo' as const, value, failMessage: step.error_message ?? DEFAULT_ECHO_ERROR };
    return singleState(step.name, dataStepTask({ stepId: step.name, next: ctx.next }), spec);
  }
  if (!fitsPassState(value)) {
    return singleState(step.name, dataStepTask({ stepId: step.name, next: ctx.next }), {
      kind: 'test_echo',
      value,
    });
  }
  // Only a string can hold templates here (fitsPassState). `Result` is taken literally, so keys of a
  // literal value that end in `.$` need no care.
  const compiled =
    typeof value === 'string'
      ? compileValue(value, [...ctx.path, 'value'], ctx.report)
      : { kind: 'literal' as const, value: value as AslValue };
  const result: AslObject =
    compiled.kind === 'literal'
      ? { Result: { result: compiled.value } }
      : { Parameters: parameters(compiled) };
  return singleState(step.name, {
    Type: 'Pass',
    ...result,
    ResultPath: stepResultPath(step.name),
    ...transition(ctx.next),
  });
}

function parameters(compiled: ReturnType<typeof compileValue>): AslObject {
  const params: AslObject = {};
  setParameter(params, 'result', compiled);
  return params;
}

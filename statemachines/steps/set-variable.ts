import type { AslObject } from '../../pipelines/contract/spec-bundle.js';
import type { SetVariableStep } from '../../pipelines/schema.js';
import { referencePath } from '../json-path.js';
import { compileValue, fitsPassState, setParameter } from './asl-values.js';
import { type EmitContext, type EmittedStep, singleState, transition } from './context.js';
import { stepRunnerTask } from './step-runner-task.js';

/** set_variable touches no provider; its Task only reads artifacts, so a short timeout suffices. */
const SET_VARIABLE_TASK_TIMEOUT_SECONDS = 60;

/**
 * Compiles a `set_variable` step. When every value is a literal or refers only to inputs and
 * variables, it becomes a Pass state that rebuilds `$.global_vars` in ASL alone. A value that reads a
 * step's output needs that output from S3, so the step runner evaluates the step instead.
 */
export function emitSetVariableStep(step: SetVariableStep, ctx: EmitContext): EmittedStep {
  const needsRunner = !Object.values(step.variables).every(fitsPassState);
  if (needsRunner) {
    const state = stepRunnerTask({
      stepId: step.name,
      resultPath: '$.global_vars',
      timeoutSeconds: SET_VARIABLE_TASK_TIMEOUT_SECONDS,
      next: ctx.next,
    });
    return singleState(step.name, state, { kind: 'set_variable', variables: step.variables });
  }
  const parameters: AslObject = {};
  // Pass Parameters replace the whole object, so carry every variable that exists and is not reset.
  for (const name of [...ctx.knownGlobalVars].sort()) {
    if (!(name in step.variables)) parameters[`${name}.$`] = referencePath('$.global_vars', [name]);
  }
  for (const [name, value] of Object.entries(step.variables)) {
    setParameter(parameters, name, compileValue(value, [...ctx.path, 'variables', name], ctx.report));
  }
  const state = {
    Type: 'Pass',
    Parameters: parameters,
    ResultPath: '$.global_vars',
    ...transition(ctx.next),
  };
  return singleState(step.name, state);
}

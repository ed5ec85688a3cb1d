import type { AslObject } from '../../pipelines/contract/spec-bundle.js';
import { stepResultPath, stepRunnerTask } from './step-runner-task.js';

/**
 * Data steps call no provider: their Task reads and writes artifacts only, so a minute is ample and a
 * hung invocation surfaces quickly.
 */
export const DATA_TASK_TIMEOUT_SECONDS = 60;

/**
 * The step-runner Task of a data step (test_echo, data_transform, file_ops, a nested pipeline's
 * outputs): its reply, a reference to the result's artifact, goes to `$.steps.STEP` unless
 * `resultPath` says otherwise.
 */
export function dataStepTask(options: {
  readonly stepId: string;
  readonly next: string | undefined;
  readonly resultPath?: string;
}): AslObject {
  return stepRunnerTask({
    stepId: options.stepId,
    resultPath: options.resultPath ?? stepResultPath(options.stepId),
    timeoutSeconds: DATA_TASK_TIMEOUT_SECONDS,
    next: options.next,
  });
}

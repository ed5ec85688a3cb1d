import { referencePath } from '../json-path.js';
import { STEP_RETRIERS } from '../policies.js';
import { type AslObject, Placeholder } from '../types.js';
import { transition } from './context.js';

/**
 * A Task that calls the step runner for one step. The runner receives the run's small state (run
 * identity, inputs, variables and the references of earlier steps), never step outputs themselves:
 * those stay in S3, far from the 256 KiB state limit.
 */
export function stepRunnerTask(options: {
  readonly stepId: string;
  /** Where the runner's reply goes in the state. */
  readonly resultPath: string;
  readonly timeoutSeconds: number;
  readonly next: string | undefined;
}): AslObject {
  return {
    Type: 'Task',
    // The bare function ARN: the state's result is the handler's reply, with no Payload envelope.
    Resource: Placeholder.StepRunner,
    Parameters: {
      stepId: options.stepId,
      'run.$': '$.run',
      'inputs.$': '$.inputs',
      'global_vars.$': '$.global_vars',
      'steps.$': '$.steps',
    },
    ResultPath: options.resultPath,
    TimeoutSeconds: options.timeoutSeconds,
    Retry: [...STEP_RETRIERS],
    ...transition(options.next),
  };
}

/** Where a step's reference lives in the state. */
export function stepResultPath(stepId: string): string {
  return referencePath('$.steps', [stepId]);
}

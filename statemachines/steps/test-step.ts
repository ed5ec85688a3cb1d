import {
  type AslObject,
  RUN_TASK_SYNC,
  TestRunnerContainer,
  TestRunnerPlaceholder,
  type TestStepSpec,
} from '../../pipelines/contract/spec-bundle.js';
import { DEFAULT_TEST_TIMEOUT_SECONDS, type TestStep } from '../../pipelines/steps/test-step.js';
import { retryRequest } from '../policy-pass.js';
import { helperStateName } from '../state-names.js';
import type { EmitContext, EmittedStep } from './context.js';
import { dataStepTask } from './data-task.js';
import { stepResultPath } from './step-runner-task.js';

/**
 * What the Fargate task needs besides the command itself: placement, the image pull, the download
 * of the workspace and the upload of the outcome. Past the command's own timeout (which the runner
 * enforces by killing the command), the Task's timeout only catches a task that never got going.
 */
const TEST_TASK_OVERHEAD_SECONDS = 600;

/**
 * Compiles a `test` step to two states, the same in the cloud and on the local stack:
 *
 * 1. `NAME`: an `ecs:runTask.sync` Task that runs the tenant's test-runner task with the run's
 *    identity and the step's id in its environment, and waits for it to stop. The task runs the
 *    command on the workspace and uploads its outcome under the run, at a key named by the task's
 *    ARN, which is all this state keeps (`$.steps.NAME.taskArn`). The local executor serves the
 *    Task in-process, uploading the outcome where the container would.
 * 2. `NAME._result`: the step runner reads that outcome, stores the log and the result as the
 *    step's attempt, and returns the step's reference; with `required: true` it then fails with
 *    `Test.Failed` when the tests failed.
 */
export function emitTestStep(step: TestStep, ctx: EmitContext): EmittedStep {
  const spec: TestStepSpec = {
    kind: 'test',
    command: step.command,
    env: step.env ?? {},
    timeoutSeconds: step.timeout_seconds ?? DEFAULT_TEST_TIMEOUT_SECONDS,
    required: step.required ?? false,
  };
  const result = helperStateName(step.name, '_result');
  return {
    startAt: step.name,
    states: {
      [step.name]: runTestTask(step.name, spec.timeoutSeconds, result),
      [result]: dataStepTask({ stepId: step.name, next: ctx.next }),
    },
    specs: { [step.name]: spec },
  };
}

function runTestTask(stepId: string, timeoutSeconds: number, next: string): AslObject {
  return {
    Type: 'Task',
    Resource: RUN_TASK_SYNC,
    Parameters: {
      LaunchType: 'FARGATE',
      Cluster: TestRunnerPlaceholder.Cluster,
      TaskDefinition: TestRunnerPlaceholder.TaskDefinition,
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: [...TestRunnerPlaceholder.Subnets],
          SecurityGroups: [TestRunnerPlaceholder.SecurityGroup],
          AssignPublicIp: 'DISABLED',
        },
      },
      Overrides: {
        ContainerOverrides: [
          {
            Name: TestRunnerContainer.name,
            // Only the run's identity and the step id: an override holds at most 8 KiB, and the
            // command, its environment and its timeout are in the spec bundle the run names.
            Environment: [
              { Name: TestRunnerContainer.runVariable, 'Value.$': 'States.JsonToString($.run)' },
              { Name: TestRunnerContainer.stepVariable, Value: stepId },
            ],
          },
        ],
      },
    },
    ResultSelector: { 'taskArn.$': '$.TaskArn' },
    ResultPath: stepResultPath(stepId),
    TimeoutSeconds: timeoutSeconds + TEST_TASK_OVERHEAD_SECONDS,
    Retry: retryRequest({ kind: 'run_task' }),
    Next: next,
  };
}

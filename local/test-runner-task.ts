import { randomUUID } from 'node:crypto';
import {
  readTestTaskRequest,
  runChangeSetFiles,
  runTestTask,
  type TestTaskDeps,
} from '../functions/test-runner/test-task.js';
import { TestRunnerContainer } from '../pipelines/contract/spec-bundle.js';
import type { TaskHandler } from './execution-options.js';

/** The error a `.sync` Task fails with when its ECS task stops without success, as on AWS. */
class TaskFailedError extends Error {
  override readonly name = 'States.TaskFailed';
}

/**
 * Serves a test step's `ecs:runTask.sync` Task in-process, doing what the test-runner container
 * does in the cloud (`functions/handlers/test-runner.ts`): the request is read from the Task's
 * container override, the command runs on the run's files, and the log and outcome are uploaded to
 * the same keys. The result is the part of DescribeTasks the compiled Task keeps: the task's ARN,
 * whose id names the outcome. A task that fails outright fails the Task with `States.TaskFailed`,
 * as a container that exits non-zero does.
 *
 * @example
 * taskHandlers: { [RUN_TASK_SYNC]: testRunnerTask({ artifacts, loadBundle }) }
 */
export function testRunnerTask(deps: Pick<TestTaskDeps, 'artifacts' | 'loadBundle'>): TaskHandler {
  const taskDeps: TestTaskDeps = { ...deps, openFiles: runChangeSetFiles(deps.artifacts) };
  return async (parameters) => {
    const taskId = randomUUID().replaceAll('-', '');
    try {
      await runTestTask(readTestTaskRequest(containerEnvironment(parameters)), taskId, taskDeps);
    } catch (error) {
      throw new TaskFailedError(`test-runner task ${taskId} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return {
      TaskArn: `arn:aws:ecs:us-east-1:000000000000:task/elexirion-local/${taskId}`,
      LastStatus: 'STOPPED',
      StopCode: 'EssentialContainerExited',
      Containers: [{ Name: TestRunnerContainer.name, LastStatus: 'STOPPED', ExitCode: 0 }],
    };
  };
}

/** The `Environment` of the test-runner container's override, as the container would see it. */
function containerEnvironment(parameters: unknown): Record<string, string> {
  type Override = {
    readonly Name?: unknown;
    readonly Environment?: readonly { Name?: unknown; Value?: unknown }[];
  };
  const overrides = (parameters as { Overrides?: { ContainerOverrides?: readonly Override[] } } | undefined)
    ?.Overrides?.ContainerOverrides;
  const container = overrides?.find((override) => override.Name === TestRunnerContainer.name);
  const env: Record<string, string> = {};
  for (const { Name: name, Value: value } of container?.Environment ?? []) {
    if (typeof name === 'string' && typeof value === 'string') env[name] = value;
  }
  return env;
}

import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { awsRequestHandler } from '../shared/aws-clients.js';
import { cachedBundleLoader } from '../shared/bundle-loader.js';
import { readEnvConfig } from '../shared/config.js';
import { S3ArtifactStore } from '../stores/s3-artifact-store.js';
import { taskIdOf } from '../test-runner/outcome.js';
import { readTestTaskRequest, runChangeSetFiles, runTestTask } from '../test-runner/test-task.js';

/**
 * The test-runner container's entry point: a plain Node script (not a Lambda) that the tenant's
 * Fargate task runs once per test step, started by the step's `ecs:runTask.sync` Task. It reads its
 * request from the environment the Task's container override sets, runs the step's command on the
 * run's workspace and change set (downloaded from S3 through the same adapters as the step runner),
 * uploads the log and the outcome, and exits 0: a failing test run is an outcome like any other.
 * It exits 1 only when it could not get that far, and the Task then fails with `States.TaskFailed`.
 *
 * The container has no route to the internet (no NAT, an S3 gateway endpoint), and its role may read
 * only the tenant's workspaces, specs and runs and write only its runs.
 */

/** The container's configuration, as the CDK stack sets it (`infra/constructs/test-runner.ts`). */
const TestRunnerConfigSchema = z.object({
  /** The only tenant whose runs this task definition serves. */
  TENANT_ID: z.string().min(1),
  ARTIFACT_BUCKET: z.string().min(1),
});

/** The metadata task ARN ECS serves every container of a task (Fargate platform 1.4 and later). */
const TaskMetadataSchema = z.object({ TaskARN: z.string().min(1) });

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const config = readEnvConfig(TestRunnerConfigSchema, env, 'test runner');
  const request = readTestTaskRequest(env);
  if (request.run.tenantId !== config.TENANT_ID) {
    throw new Error(
      `this test runner serves tenant ${config.TENANT_ID}, and was asked to run a step of tenant ${request.run.tenantId}`,
    );
  }
  const taskArn = await ownTaskArn(env);
  const taskId = taskIdOf(taskArn);
  if (taskId === undefined) throw new Error(`the task metadata endpoint named no task ARN: ${taskArn}`);
  const s3 = new S3Client({ requestHandler: awsRequestHandler() });
  const artifacts = new S3ArtifactStore(s3, config.ARTIFACT_BUCKET);
  let outcome: Awaited<ReturnType<typeof runTestTask>>;
  try {
    outcome = await runTestTask(request, taskId, {
      artifacts,
      loadBundle: cachedBundleLoader(artifacts),
      openFiles: runChangeSetFiles(artifacts),
    });
  } finally {
    // Its pooled sockets would keep the process, and so the task, running.
    s3.destroy();
  }
  // One line for the task's log group; the test output itself is in the log artifact.
  process.stdout.write(
    `${JSON.stringify({ runId: request.run.runId, stepId: request.stepId, taskArn, ...summaryOf(outcome) })}\n`,
  );
}

/** This task's ARN, from the task metadata endpoint: it names the outcome the step runner reads. */
async function ownTaskArn(env: NodeJS.ProcessEnv): Promise<string> {
  const endpoint = env.ECS_CONTAINER_METADATA_URI_V4;
  if (!endpoint)
    throw new Error('ECS_CONTAINER_METADATA_URI_V4 is not set: the test runner runs as an ECS task');
  const response = await fetch(`${endpoint}/task`);
  if (!response.ok) throw new Error(`the task metadata endpoint answered ${response.status}`);
  return TaskMetadataSchema.parse(await response.json()).TaskARN;
}

function summaryOf(outcome: Awaited<ReturnType<typeof runTestTask>>): Record<string, unknown> {
  if ('error' in outcome) return { error: outcome.error.name };
  const { passed, exit_code, timed_out, duration_ms, summary } = outcome.result;
  return { passed, exit_code, timed_out, duration_ms, summary };
}

main(process.env).catch((error: unknown) => {
  process.stderr.write(
    `test runner failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});

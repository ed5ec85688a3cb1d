import { describe, expect, it } from 'vitest';
import { startRun } from '../../../functions/runs/run-lifecycle.js';
import { artifactKeys } from '../../../functions/shared/artifact-keys.js';
import { cachedBundleLoader } from '../../../functions/shared/bundle-loader.js';
import { MemoryArtifactStore } from '../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../functions/stores/memory-run-store.js';
import { storeWorkspace } from '../../../functions/workspaces/store-workspace.js';
import { testRunnerTask } from '../../../local/test-runner-task.js';
import type { SpecBundle } from '../../../pipelines/contract/spec-bundle.js';
import { compilePipeline } from '../../../statemachines/compile.js';
import { pipelineOf } from '../statemachines/pipeline-fixture.js';

/** The Parameters the compiled runTask Task resolves to, as the local executor hands them over. */
function runTaskParameters(environment: { Name: string; Value: string }[]): unknown {
  return {
    LaunchType: 'FARGATE',
    Cluster: '${TestRunnerCluster}',
    Overrides: { ContainerOverrides: [{ Name: 'test-runner', Environment: environment }] },
  };
}

describe('testRunnerTask (the local stand-in for the test-runner container)', () => {
  it('runs the step on the run’s workspace and uploads the outcome where the task’s ARN points', async () => {
    // Prepare: a run of a pipeline with a test step, over a stored workspace
    const artifacts = new MemoryArtifactStore('bucket');
    const bundle = compilePipeline(
      pipelineOf({ steps: [{ name: 'verify', type: 'test', command: 'cat notes.txt' }] }),
    ).bundle as SpecBundle;
    const { workspaceId } = await storeWorkspace(
      artifacts,
      'acme',
      [{ path: 'notes.txt', mode: 0o644, bytes: Buffer.from('all green\n') }],
      [],
    );
    const { run } = await startRun(
      { tenantId: 'acme', bundle, inputs: {}, workspaceId },
      { artifacts, runs: new MemoryRunStore(), now: () => new Date('2026-11-26T10:00:00Z') },
    );
    const handler = testRunnerTask({ artifacts, loadBundle: cachedBundleLoader(artifacts) });

    // Act
    const result = (await handler(
      runTaskParameters([
        { Name: 'ELEXIRION_TEST_RUN', Value: JSON.stringify(run) },
        { Name: 'ELEXIRION_TEST_STEP', Value: 'verify' },
      ]),
    )) as { TaskArn: string };

    // Assess
    const taskId = result.TaskArn.slice(result.TaskArn.lastIndexOf('/') + 1);
    const keys = artifactKeys.testRun('acme', run.runId, 'verify', taskId);
    expect(await artifacts.getJson(keys.outcome)).toMatchObject({ result: { passed: true, exit_code: 0 } });
    expect(await artifacts.getText(keys.log)).toBe('all green\n');
  });

  it('fails the Task with States.TaskFailed when it cannot start, as a container exiting 1 does', async () => {
    // Prepare
    const artifacts = new MemoryArtifactStore('bucket');
    const handler = testRunnerTask({ artifacts, loadBundle: cachedBundleLoader(artifacts) });

    // Act
    const started = handler(runTaskParameters([{ Name: 'ELEXIRION_TEST_STEP', Value: 'verify' }]));

    // Assess
    await expect(started).rejects.toMatchObject({
      name: 'States.TaskFailed',
      message: expect.stringContaining('needs ELEXIRION_TEST_RUN and ELEXIRION_TEST_STEP'),
    });
  });
});

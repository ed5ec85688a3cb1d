import { describe, expect, it } from 'vitest';
import { startRun } from '../../../../functions/runs/run-lifecycle.js';
import { artifactKeys } from '../../../../functions/shared/artifact-keys.js';
import { cachedBundleLoader } from '../../../../functions/shared/bundle-loader.js';
import type { StepRunnerDeps } from '../../../../functions/step-runner/deps.js';
import { runStep } from '../../../../functions/step-runner/step-runner.js';
import type { TestResult } from '../../../../functions/steps/test-step.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import { readTestTaskRequest, runTestTask } from '../../../../functions/test-runner/test-task.js';
import type { SpecBundle } from '../../../../pipelines/contract/spec-bundle.js';
import type { DataStepRef, StepRunnerEvent } from '../../../../pipelines/contract/step-event.js';
import type { TestStep } from '../../../../pipelines/steps/test-step.js';
import { compilePipeline } from '../../../../statemachines/compile.js';
import { memoryFiles as filesOf } from '../../../support/node-test-project.js';
import { QueueProvider } from '../../../support/queue-provider.js';
import { pipelineOf } from '../../statemachines/pipeline-fixture.js';

const WORKSPACE_ID = '0123456789abcdef0123456789abcdef';
const TASK_ID = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const TASK_ARN = `arn:aws:ecs:us-east-1:123456789012:task/elexirion-acme/${TASK_ID}`;

/**
 * A run of a one-step pipeline with `step`, and the two halves of that step as the state machine
 * calls them: the test-runner task (its workspace opened by `openFiles`, as the container and the
 * local stack open the run's change set), then the step runner's result Task.
 */
async function setUp(
  step: Omit<TestStep, 'name' | 'type'>,
  options: { workspace?: Record<string, string> } = {},
) {
  const artifacts = new MemoryArtifactStore('bucket');
  const runs = new MemoryRunStore();
  const deps: StepRunnerDeps = {
    artifacts,
    runs,
    providerFor: () => new QueueProvider([]),
    loadBundle: cachedBundleLoader(artifacts),
    now: () => new Date('2026-11-26T10:00:00Z'),
  };
  const bundle = compilePipeline(pipelineOf({ steps: [{ name: 'verify', type: 'test', ...step }] }))
    .bundle as SpecBundle;
  const workspace = options.workspace === undefined ? {} : { workspaceId: WORKSPACE_ID };
  const { run, inputs } = await startRun({ tenantId: 'acme', bundle, inputs: {}, ...workspace }, deps);
  const opened: string[] = [];
  const runTask = () =>
    runTestTask(
      readTestTaskRequest({ ELEXIRION_TEST_RUN: JSON.stringify(run), ELEXIRION_TEST_STEP: 'verify' }),
      TASK_ID,
      {
        artifacts,
        loadBundle: deps.loadBundle,
        openFiles: async (ref) => {
          opened.push(`${ref.tenantId}/${ref.runId}/${ref.workspaceId}`);
          return filesOf({ ...options.workspace });
        },
      },
    );
  const resultEvent: StepRunnerEvent = {
    stepId: 'verify',
    run,
    inputs,
    global_vars: {},
    steps: { verify: { taskArn: TASK_ARN } },
  };
  const result = async (key: string) =>
    (await artifacts.getJson<{ response: { data: TestResult } }>(key)).response.data;
  return { artifacts, deps, run, runTask, opened, resultEvent, result };
}

describe('a test step', () => {
  it('runs the command on the run’s files and stores a failing run as the step’s result, not a failure', async () => {
    // Prepare
    const { artifacts, deps, run, runTask, opened, resultEvent, result } = await setUp(
      { command: 'cat expected.txt; echo "Tests:       1 failed, 2 passed, 3 total"; exit 3' },
      { workspace: { 'expected.txt': 'median is 2\n' } },
    );

    // Act
    await runTask();
    const ref = (await runStep(resultEvent, deps)) as DataStepRef;

    // Assess: the task opened the run's workspace, and the step runner filed the attempt
    expect(opened).toEqual([`acme/${run.runId}/${WORKSPACE_ID}`]);
    expect(ref).toMatchObject({ stepId: 'verify', kind: 'test', attempt: 1, status: 'SUCCEEDED' });
    const log = artifactKeys.attemptFile('acme', run.runId, 'verify', 1, undefined, 'log');
    expect(await result(ref.artifact.key)).toEqual({
      passed: false,
      exit_code: 3,
      timed_out: false,
      duration_ms: expect.any(Number),
      summary: { passed: 2, failed: 1, skipped: 0 },
      tail: 'median is 2\nTests:       1 failed, 2 passed, 3 total\n',
      log,
    });
    expect(await artifacts.getText(log)).toBe('median is 2\nTests:       1 failed, 2 passed, 3 total\n');
  });

  it('with required: true, records the result, then fails with Test.Failed and the counts', async () => {
    // Prepare
    const { deps, run, runTask, resultEvent, result } = await setUp(
      { command: 'echo "==== 1 failed, 4 passed in 0.2s ===="; exit 1', required: true },
      { workspace: {} },
    );
    await runTask();

    // Act
    const step = runStep(resultEvent, deps);

    // Assess
    await expect(step).rejects.toMatchObject({
      name: 'Test.Failed',
      message: expect.stringContaining('exited with code 1: 1 failed, 4 passed, 0 skipped'),
    });
    const recorded = await result(artifactKeys.attempt('acme', run.runId, 'verify', 1));
    expect(recorded).toMatchObject({ passed: false, summary: { failed: 1, passed: 4, skipped: 0 } });
  });

  it('with required: true, succeeds when the command passes', async () => {
    // Prepare
    const { deps, runTask, resultEvent, result } = await setUp(
      { command: 'true', required: true },
      { workspace: {} },
    );
    await runTask();

    // Act
    const ref = (await runStep(resultEvent, deps)) as DataStepRef;

    // Assess
    expect(await result(ref.artifact.key)).toMatchObject({ passed: true, exit_code: 0, summary: null });
  });

  it('fails with Workspace.Invalid, saying how to give one, in a run started without a workspace', async () => {
    // Prepare
    const { deps, runTask, opened, resultEvent } = await setUp({ command: 'npm test' });

    // Act
    const outcome = await runTask();
    const step = runStep(resultEvent, deps);

    // Assess: nothing was opened or run, and the step fails with the task's named error
    expect(opened).toEqual([]);
    expect(outcome).toEqual({ error: { name: 'Workspace.Invalid', message: expect.any(String) } });
    await expect(step).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringMatching(/test step "verify" .*--repo DIR.*workspaceId/),
    });
  });

  it('tells what happened when the task stopped without an outcome', async () => {
    // Prepare: the task never ran
    const { deps, resultEvent } = await setUp({ command: 'npm test' }, { workspace: {} });

    // Act
    const step = runStep(resultEvent, deps);

    // Assess
    await expect(step).rejects.toThrow(
      /stopped without uploading its outcome \(tenants\/acme\/runs\/.*\/test-runs\//,
    );
  });
});

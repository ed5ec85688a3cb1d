import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryEventPublisher } from '../../../functions/events/memory-publisher.js';
import { MockProvider } from '../../../functions/providers/mock-provider.js';
import { cachedBundleLoader } from '../../../functions/shared/bundle-loader.js';
import { MemoryArtifactStore } from '../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../functions/stores/memory-run-store.js';
import { runPipelineLocally } from '../../../local/run-pipeline.js';
import { buildPipelineFile } from '../../../statemachines/build.js';

async function setup() {
  const build = await buildPipelineFile(resolve('pipelines/examples/chain.yaml'));
  if (!build.ok) throw new Error('chain.yaml does not build');
  const artifacts = new MemoryArtifactStore();
  const runs = new MemoryRunStore();
  const mock = new MockProvider();
  const deps = {
    runs,
    artifacts,
    providerFor: () => mock,
    loadBundle: cachedBundleLoader(artifacts),
    now: () => new Date(),
  };
  return { build, runs, deps };
}

describe('runPipelineLocally', () => {
  it('starts and closes the run as the cloud does: input defaults applied, totals summed, completion event published', async () => {
    // Prepare
    const { build, runs, deps } = await setup();
    const events = new MemoryEventPublisher();

    // Act
    const record = await runPipelineLocally({
      ...build,
      inputs: {},
      tenantId: 'acme',
      deps,
      retryDelay: 'none',
      events,
    });

    // Assess: the declared default is recorded, the record is closed with the attempts' totals, and
    // closeRun announced it exactly once
    expect(record).toMatchObject({
      status: 'SUCCEEDED',
      inputs: { topic: 'serverless LLM pipelines' },
      stateMachine: expect.stringContaining('elexirion-acme_stack_chain'),
    });
    const attempts = await runs.listAttempts('acme', record.runId);
    expect(attempts.length).toBeGreaterThan(0);
    expect(record.usage?.inputTokens).toBe(attempts.reduce((sum, a) => sum + a.usage.inputTokens, 0));
    expect(events.events).toHaveLength(1);
    expect(events.events[0]).toMatchObject({
      detailType: 'PipelineRunCompleted',
      detail: { runId: record.runId },
    });
  });

  it('closes the run FAILED, with the error, when the execution throws after the run was recorded', async () => {
    // Prepare: a definition the interpreter refuses once the run is recorded (its StartAt names no state)
    const { build, runs, deps } = await setup();

    // Act
    const record = await runPipelineLocally({
      asl: { ...build.asl, StartAt: 'Nowhere' },
      bundle: build.bundle,
      inputs: {},
      tenantId: 'acme',
      deps,
      retryDelay: 'none',
    });

    // Assess: reported as the run's failure, and nothing is left RUNNING
    expect(record).toMatchObject({
      status: 'FAILED',
      finishedAt: expect.any(String),
      error: { name: 'Error', message: expect.stringMatching(/^State machine definition is invalid/) },
    });
    expect(await runs.getRun('acme', record.runId)).toEqual(record);
    expect((await runs.listRuns('acme', { limit: 10, status: 'RUNNING' })).runs).toEqual([]);
  });

  it('refuses inputs the pipeline does not accept before writing anything, as the API does', async () => {
    // Prepare: an input over the 256 KiB Step Functions takes as execution input
    const { build, runs, deps } = await setup();

    // Act
    const run = runPipelineLocally({
      ...build,
      inputs: { topic: 'x'.repeat(300_000) },
      tenantId: 'acme',
      deps,
      retryDelay: 'none',
    });

    // Assess
    await expect(run).rejects.toMatchObject({ code: 'INVALID_INPUT', details: [{ field: 'input.topic' }] });
    expect((await runs.listRuns('acme', { limit: 10 })).runs).toEqual([]);
  });
});

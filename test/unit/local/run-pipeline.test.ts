import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedBundleLoader } from '../../../functions/core/bundle-loader.js';
import { buildPipelineFile } from '../../../functions/core/pipeline-build.js';
import { MockProvider } from '../../../functions/core/providers/mock-provider.js';
import { MemoryArtifactStore } from '../../../functions/core/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../functions/core/stores/memory-run-store.js';
import { runPipelineLocally } from '../../../local/run-pipeline.js';

describe('runPipelineLocally', () => {
  it('closes the run FAILED, with the error, when the execution throws after the run was recorded', async () => {
    // Prepare: inputs that skipped resolveRunInputs, over the 256 KiB the executor takes as execution input
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

    // Act
    const record = await runPipelineLocally({
      asl: build.asl,
      bundle: build.bundle,
      inputs: { topic: 'x'.repeat(300_000) },
      tenantId: 'acme',
      deps,
      retryDelay: 'none',
    });

    // Assess: reported as the run's failure, and nothing is left RUNNING
    expect(record).toMatchObject({
      status: 'FAILED',
      finishedAt: expect.any(String),
      error: {
        name: 'States.DataLimitExceeded',
        message: expect.stringMatching(/^The execution input is \d+ bytes, over the Step Functions limit/),
      },
    });
    expect(await runs.getRun('acme', record.runId)).toEqual(record);
    expect((await runs.listRuns('acme', { limit: 10, status: 'RUNNING' })).runs).toEqual([]);
  });
});

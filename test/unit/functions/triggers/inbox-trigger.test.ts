import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePipelineCatalog } from '../../../../functions/catalog/file-catalog.js';
import { PipelineFiles } from '../../../../functions/catalog/pipeline-files.js';
import { MemoryEventPublisher } from '../../../../functions/events/memory-publisher.js';
import { cachedBundleLoader } from '../../../../functions/shared/bundle-loader.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import { startFromPipelineRequested } from '../../../../functions/triggers/event-trigger.js';
import { type CreatedObject, startFromInboxObject } from '../../../../functions/triggers/inbox-trigger.js';
import { readManifest } from '../../../../functions/workspaces/manifest.js';
import { RecordingEngine } from '../../../support/recording-engine.js';
import { tarGz, upload } from '../workspaces/archive-builders.js';

const EXAMPLES = new PipelineFiles(resolve('pipelines/examples'));
const BUCKET = 'elexirion-acme-artifacts';

/** Trigger deps for tenant acme over memory stores and a recording engine. */
function triggerDeps() {
  const artifacts = new MemoryArtifactStore(BUCKET);
  const runs = new MemoryRunStore();
  const engine = new RecordingEngine();
  const events = new MemoryEventPublisher();
  const deps = {
    tenantId: 'acme',
    bucket: BUCKET,
    artifacts,
    runs,
    engine,
    events,
    loadBundle: cachedBundleLoader(artifacts),
    catalog: new FilePipelineCatalog(EXAMPLES, (tenantId, pipeline) =>
      engine.deployStateMachine(`elexirion-${tenantId}-${pipeline}`, {}),
    ),
    now: () => new Date(),
  };
  return { deps, runs, engine, events, artifacts };
}

/**
 * Puts an archive in acme's inbox. The memory store writes text only, so the archive's bytes are
 * served by its stream read, and a placeholder makes the key exist.
 */
async function dropArchive(artifacts: MemoryArtifactStore, name: string, bytes: Buffer): Promise<void> {
  const key = `tenants/acme/inbox/${name}`;
  await artifacts.putText(key, 'placeholder', 'application/gzip');
  const read = artifacts.getStream.bind(artifacts);
  artifacts.getStream = async (wanted) => (wanted === key ? upload(bytes) : read(wanted));
}

/** Puts a JSON request in acme's inbox and returns its "Object Created" description. */
async function dropRequest(
  artifacts: MemoryArtifactStore,
  name: string,
  request: unknown,
): Promise<CreatedObject> {
  const key = `tenants/acme/inbox/${name}`;
  const { bytes, sha256 } = await artifacts.putJson(key, request);
  return { bucket: BUCKET, key, size: bytes, etag: sha256.slice(0, 32) };
}

describe('startFromInboxObject', () => {
  it('starts one run for a request, however often its "Object Created" event is delivered', async () => {
    // Prepare
    const { deps, runs, engine, artifacts } = triggerDeps();
    const object = await dropRequest(artifacts, 'daily/req.json', {
      pipeline: 'chain',
      input: { topic: 'tides' },
    });

    // Act
    const outcomes = await Promise.all([1, 2, 3].map(() => startFromInboxObject(object, deps)));

    // Assess
    expect(outcomes.map((o) => o.outcome)).toEqual(['started', 'started', 'started']);
    expect(engine.started).toHaveLength(1);
    const [{ runs: stored }] = [await runs.listRuns('acme', { limit: 10 })];
    expect(stored).toEqual([expect.objectContaining({ pipeline: 'chain', inputs: { topic: 'tides' } })]);
    expect(engine.started[0]?.name).toBe(stored[0]?.runId);
  });

  it('starts a new run for a new version of the same key', async () => {
    // Prepare
    const { deps, engine, artifacts } = triggerDeps();
    const first = await dropRequest(artifacts, 'req.json', { pipeline: 'chain' });
    const second = { ...(await dropRequest(artifacts, 'req.json', { pipeline: 'chain' })), versionId: 'v2' };

    // Act
    await startFromInboxObject(first, deps);
    await startFromInboxObject(second, deps);

    // Assess
    expect(engine.started).toHaveLength(2);
  });

  it('stores the archive a request names as a workspace and starts the run on it, once', async () => {
    // Prepare
    const { deps, engine, artifacts, runs } = triggerDeps();
    const archive = await tarGz([
      { name: 'README.md', content: '# a\n' },
      { name: 'src/a.js', content: 'a\n' },
    ]);
    await dropArchive(artifacts, 'batch/repo.tar.gz', archive);
    const object = await dropRequest(artifacts, 'batch/req.json', {
      pipeline: 'hello',
      archive: 'batch/repo.tar.gz',
    });

    // Act
    const outcomes = [await startFromInboxObject(object, deps), await startFromInboxObject(object, deps)];

    // Assess
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['started', 'started']);
    expect(engine.started).toHaveLength(1);
    const [run] = (await runs.listRuns('acme', { limit: 10 })).runs;
    expect(run).toMatchObject({ pipeline: 'hello', inputs: {}, workspaceId: expect.any(String) });
    const manifest = await readManifest(artifacts, 'acme', run?.workspaceId ?? '');
    expect(manifest.files.map((file) => file.path)).toEqual(['README.md', 'src/a.js']);
  });

  it('rejects a request whose archive holds a ".." entry, naming it, storing and starting nothing', async () => {
    // Prepare
    const { deps, engine, events, artifacts } = triggerDeps();
    await dropArchive(artifacts, 'repo.tar.gz', await tarGz([{ name: '../escape.js', content: 'x' }]));
    const object = await dropRequest(artifacts, 'req.json', { pipeline: 'hello', archive: 'repo.tar.gz' });

    // Act
    const outcome = await startFromInboxObject(object, deps);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'rejected', error: { code: 'INVALID_ARCHIVE' } });
    expect(events.events).toEqual([
      {
        detailType: 'PipelineRequestRejected',
        detail: {
          tenantId: 'acme',
          origin: `s3://${BUCKET}/${object.key}`,
          error: {
            code: 'INVALID_ARCHIVE',
            message: expect.stringContaining('../escape.js'),
            details: [{ field: 'archive', message: expect.stringContaining('../escape.js') }],
          },
        },
      },
    ]);
    expect(engine.started).toEqual([]);
    expect(await artifacts.list('tenants/acme/workspaces/')).toEqual([]);
  });

  it.each([
    ['not JSON', 'bad.json', null, 'INVALID_REQUEST', undefined],
    ['without a pipeline', 'req.json', { input: {} }, 'INVALID_REQUEST', 'pipeline'],
    ['of an unknown pipeline', 'req.json', { pipeline: 'nope' }, 'PIPELINE_NOT_FOUND', 'pipeline'],
    [
      'naming a missing archive',
      'req.json',
      { pipeline: 'chain', archive: 'gone.zip' },
      'INVALID_REQUEST',
      'archive',
    ],
    [
      'naming an archive outside the inbox',
      'req.json',
      { pipeline: 'chain', archive: '../../secret.zip' },
      'INVALID_REQUEST',
      'archive',
    ],
  ])(
    'rejects a request %s with a PipelineRequestRejected event, starting nothing',
    async (_, name, request, code, field) => {
      // Prepare
      const { deps, engine, events, artifacts } = triggerDeps();
      const key = `tenants/acme/inbox/${name}`;
      const object = await dropRequest(artifacts, name, request);
      if (request === null) {
        artifacts.getJson = async () => {
          throw new SyntaxError('Unexpected token n in JSON at position 1');
        };
      }

      // Act
      const outcome = await startFromInboxObject(object, deps);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'rejected', error: { code } });
      expect(engine.started).toEqual([]);
      expect(events.events).toEqual([
        {
          detailType: 'PipelineRequestRejected',
          detail: {
            tenantId: 'acme',
            origin: `s3://${BUCKET}/${key}`,
            error: {
              code,
              message: expect.any(String),
              details: field ? [expect.objectContaining({ field })] : expect.any(Array),
            },
          },
        },
      ]);
    },
  );

  it.each([
    ['a payload (not *.json)', { bucket: BUCKET, key: 'tenants/acme/inbox/code.zip', size: 3 }],
    ["another tenant's inbox", { bucket: BUCKET, key: 'tenants/other/inbox/req.json', size: 3 }],
    ['another bucket', { bucket: 'elsewhere', key: 'tenants/acme/inbox/req.json', size: 3 }],
    ['outside the inbox', { bucket: BUCKET, key: 'tenants/acme/runs/r/x.json', size: 3 }],
  ])('ignores %s', async (_, object) => {
    // Prepare
    const { deps, engine, events } = triggerDeps();

    // Act
    const outcome = await startFromInboxObject(object, deps);

    // Assess
    expect(outcome.outcome).toBe('ignored');
    expect(engine.started).toEqual([]);
    expect(events.events).toEqual([]);
  });
});

describe('startFromPipelineRequested', () => {
  it('starts one run per event id, however often the event is delivered', async () => {
    // Prepare
    const { deps, engine } = triggerDeps();
    const event = { id: 'evt-1', detail: { pipeline: 'hello' } };

    // Act
    const outcomes = await Promise.all([1, 2].map(() => startFromPipelineRequested(event, deps)));
    await startFromPipelineRequested({ id: 'evt-2', detail: { pipeline: 'hello', tenantId: 'acme' } }, deps);

    // Assess
    expect(outcomes.map((o) => (o.outcome === 'started' ? o.run.runId : o.outcome))).toEqual([
      engine.started[0]?.name,
      engine.started[0]?.name,
    ]);
    expect(engine.started).toHaveLength(2);
  });

  it('rejects an input the execution state has no room for, starting and claiming nothing', async () => {
    // Prepare: under EventBridge's 256 KB event limit, over the room chain's state leaves its inputs
    const { deps, engine, events, runs } = triggerDeps();
    const detail = { pipeline: 'chain', input: { topic: 'x'.repeat(259_000) }, idempotencyKey: 'k' };

    // Act
    const outcome = await startFromPipelineRequested({ id: 'evt-1', detail }, deps);

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'rejected',
      error: {
        code: 'INVALID_INPUT',
        details: [{ field: 'input.topic', message: expect.stringContaining('is 259002 bytes as JSON') }],
      },
    });
    expect(engine.started).toEqual([]);
    expect((await runs.listRuns('acme', { limit: 10 })).runs).toEqual([]);
    expect(events.events).toEqual([expect.objectContaining({ detailType: 'PipelineRequestRejected' })]);
    const fitting = { ...detail, input: { topic: 'tides' } };
    expect(await startFromPipelineRequested({ id: 'evt-2', detail: fitting }, deps)).toMatchObject({
      outcome: 'started',
      run: { replayed: false },
    });
  });

  it.each([
    ['another tenant', { pipeline: 'hello', tenantId: 'other' }, 'detail.tenantId'],
    ['an unknown field', { pipeline: 'hello', extra: 1 }, 'detail.extra'],
    ['no pipeline', { input: {} }, 'detail.pipeline'],
  ])('rejects an event naming %s', async (_, detail, field) => {
    // Prepare
    const { deps, engine, events } = triggerDeps();

    // Act
    const outcome = await startFromPipelineRequested({ id: 'evt-1', detail }, deps);

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'rejected',
      error: { code: 'INVALID_REQUEST', details: [{ field }] },
    });
    expect(engine.started).toEqual([]);
    expect(events.events).toEqual([expect.objectContaining({ detailType: 'PipelineRequestRejected' })]);
  });
});

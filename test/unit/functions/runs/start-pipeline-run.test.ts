import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePipelineCatalog } from '../../../../functions/catalog/file-catalog.js';
import { PipelineFiles } from '../../../../functions/catalog/pipeline-files.js';
import { MemoryEventPublisher } from '../../../../functions/events/memory-publisher.js';
import type { RunRecord } from '../../../../functions/ports/runs.js';
import {
  IDEMPOTENCY_IN_PROGRESS_SECONDS,
  type RunStarterDeps,
  startPipelineRun,
} from '../../../../functions/runs/start-pipeline-run.js';
import { isRequestError, type RequestError } from '../../../../functions/shared/request-error.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import { RecordingEngine } from '../../../support/recording-engine.js';

const EXAMPLES = new PipelineFiles(resolve('pipelines/examples'));

/**
 * Starting runs over memory stores on a clock the test moves, with an engine that records its calls.
 * `dieOnPutRun` makes the next putRun hang forever, as a Lambda that dies after its claim would.
 */
function starter() {
  let clock = Date.parse('2026-11-02T10:00:00.000Z');
  const now = () => new Date(clock);
  const runs = new MemoryRunStore(now);
  const engine = new RecordingEngine();
  let dying = false;
  const putRun = runs.putRun.bind(runs);
  runs.putRun = (run: RunRecord) => {
    if (!dying) return putRun(run);
    dying = false;
    return new Promise<void>(() => {});
  };
  const deps: RunStarterDeps = {
    runs,
    artifacts: new MemoryArtifactStore(),
    now,
    engine,
    catalog: new FilePipelineCatalog(
      EXAMPLES,
      async (_tenant, pipeline) => `arn:aws:states:eu-west-1:123456789012:stateMachine:${pipeline}`,
    ),
    sleep: async () => {},
    events: new MemoryEventPublisher(),
  };
  return {
    deps,
    runs,
    engine,
    advance: (seconds: number) => {
      clock += seconds * 1000;
    },
    dieOnPutRun: () => {
      dying = true;
    },
  };
}

const request = { tenantId: 'acme', pipeline: 'chain', input: { topic: 'tides' }, idempotencyKey: 'k-1' };

/** Settles once the microtasks and timers queued so far have run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('startPipelineRun idempotency', () => {
  it('takes over a claim whose run never appeared once its in-progress window passed, starting exactly one run', async () => {
    // Prepare: the first request claims the key and dies before recording its run
    const { deps, runs, engine, advance, dieOnPutRun } = starter();
    dieOnPutRun();
    void startPipelineRun(request, deps);
    await settle();

    // Act: a retry within the window, then five concurrent retries after it
    const early = await startPipelineRun(request, deps).catch((error: unknown) => error);
    advance(IDEMPOTENCY_IN_PROGRESS_SECONDS + 1);
    const late = await Promise.all(Array.from({ length: 5 }, () => startPipelineRun(request, deps)));

    // Assess: the early retry is told to wait; afterwards one run starts and the others replay it
    expect(isRequestError(early) && early.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect((early as RequestError).options.retryAfterSeconds).toBe(IDEMPOTENCY_IN_PROGRESS_SECONDS);
    expect(late.filter((run) => !run.replayed)).toHaveLength(1);
    expect(new Set(late.map((run) => run.runId)).size).toBe(1);
    expect(engine.started.map((start) => start.name)).toEqual([late[0]?.runId]);
    expect((await runs.listRuns('acme', { limit: 10 })).runs.map((run) => run.runId)).toEqual([
      late[0]?.runId,
    ]);
    const claim = await runs.claimIdempotencyKey({
      tenantId: 'acme',
      pipeline: 'chain',
      key: 'k-1',
      runId: 'r-probe',
      requestHash: 'h',
      createdAt: '',
      expiresAt: 0,
    });
    expect(claim.record).toMatchObject({ runId: late[0]?.runId, status: 'COMPLETED' });
    expect(claim.record.inProgressExpiry).toBeUndefined();
  });

  it('replays a key whose first request recorded its run, in progress or completed', async () => {
    // Prepare
    const { deps, engine, advance } = starter();
    const first = await startPipelineRun(request, deps);

    // Act
    advance(IDEMPOTENCY_IN_PROGRESS_SECONDS + 1);
    const again = await startPipelineRun(request, deps);

    // Assess
    expect(again).toEqual({ runId: first.runId, status: 'RUNNING', replayed: true });
    expect(engine.started).toHaveLength(1);
  });
});

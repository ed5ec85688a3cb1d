import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../functions/ports/attempts.js';
import type { IdempotencyRecord } from '../../functions/ports/idempotency.js';
import type { PipelineRecord } from '../../functions/ports/registered-pipelines.js';
import type { RunStore } from '../../functions/ports/run-store.js';
import type { RunRecord } from '../../functions/ports/runs.js';
import type { ScoreRecord } from '../../functions/ports/scores.js';

/** How a contract run gets a store to test. */
export interface RunStoreContractOptions {
  /** Returns a ready store; called before each test. Tests use their own random tenants. */
  readonly create: () => RunStore | Promise<RunStore>;
}

/** A run with every optional field set, so a round trip checks them all. */
function fullRun(tenantId: string, runId: string): RunRecord {
  return {
    tenantId,
    runId,
    pipeline: 'summarize',
    status: 'FAILED',
    startedAt: '2026-11-02T10:00:00.000Z',
    finishedAt: '2026-11-02T10:00:07.250Z',
    inputs: { topic: 'tides', count: 3, tags: ['a', 'b'], nested: { ok: true, none: null } },
    bundleKey: `tenants/${tenantId}/specs/summarize/abc123.json`,
    error: { name: 'Provider.RateLimited', message: 'slow down', stepId: 'draft' },
    usage: { inputTokens: 1200, outputTokens: 340, costUsd: 0.0123 },
  };
}

/** A run with only the required fields. */
function minimalRun(tenantId: string, runId: string): RunRecord {
  return {
    tenantId,
    runId,
    pipeline: 'summarize',
    status: 'RUNNING',
    startedAt: '2026-11-02T10:00:00.000Z',
    inputs: {},
    bundleKey: `tenants/${tenantId}/specs/summarize/abc123.json`,
  };
}

/** An attempt record of one step. */
function attemptRecord(tenantId: string, runId: string, stepId: string, attempt: number): AttemptRecord {
  return {
    tenantId,
    runId,
    stepId,
    attempt,
    status: 'SUCCEEDED',
    provider: 'mock',
    model: 'mock-1',
    usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 },
    costUsd: 0,
    priced: false,
    latencyMs: 12,
    promptVersion: 'p1',
    startedAt: '2026-11-02T10:00:01.000Z',
    artifactKey: `tenants/${tenantId}/runs/${runId}/steps/${stepId}/${attempt}.json`,
  };
}

/** A claim of the key `k-1` of pipeline `summarize` for a run. */
function claimRecord(tenantId: string, runId: string): IdempotencyRecord {
  return {
    tenantId,
    pipeline: 'summarize',
    key: 'k-1',
    runId,
    requestHash: 'h1',
    createdAt: '2026-11-02T10:00:00.000Z',
    expiresAt: 4_000_000_000,
    status: 'IN_PROGRESS',
    inProgressExpiry: 4_000_000_000,
  };
}

/** A claim of `key` whose request died at once: in progress, its in-progress window long past. */
function abandonedClaim(tenantId: string, runId: string, key: string): IdempotencyRecord {
  return { ...claimRecord(tenantId, runId), key, inProgressExpiry: 1 };
}

/** A score for a run. */
function feedbackRecord(tenantId: string, runId: string, feedbackId: string, createdAt: string) {
  return { tenantId, runId, feedbackId, score: 0.5, comment: 'ok', createdAt };
}

/** An evaluator's score of one attempt. */
function scoreRecord(
  tenantId: string,
  runId: string,
  stepId: string,
  attempt: number,
  evaluator: string,
  score: number,
): ScoreRecord {
  const createdAt = '2026-11-02T10:02:00.000Z';
  return {
    tenantId,
    runId,
    stepId,
    attempt,
    evaluator,
    kind: 'regex',
    score,
    promptVersion: 'p1',
    createdAt,
  };
}

/** A registered pipeline. */
function pipelineRecord(tenantId: string, name: string): PipelineRecord {
  return {
    tenantId,
    name,
    description: `the ${name} pipeline`,
    bundleKey: `tenants/${tenantId}/specs/${name}/h.json`,
    bundleHash: 'h',
    stateMachine: `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`,
    inputs: { topic: { type: 'string', required: false } },
    steps: ['draft', 'review'],
    updatedAt: '2026-11-02T10:00:00.000Z',
  };
}

/**
 * The behaviour every `RunStore` adapter must show, run once per adapter (Hono's router style).
 *
 * @example
 * describeRunStore({ create: () => new MemoryRunStore() });
 */
export function describeRunStore({ create }: RunStoreContractOptions): void {
  describe('RunStore contract', () => {
    let store: RunStore;
    let tenant: string;

    beforeEach(async () => {
      store = await create();
      tenant = `t-${randomUUID()}`;
    });

    it.each([
      ['every field', fullRun],
      ['required fields only', minimalRun],
    ])('returns a run exactly as put (%s)', async (_, build) => {
      // Prepare
      const run = build(tenant, 'r-0001');

      // Act
      await store.putRun(run);
      const read = await store.getRun(tenant, 'r-0001');

      // Assess
      expect(read).toStrictEqual(run);
    });

    it('replaces a run that is put again', async () => {
      // Prepare
      await store.putRun(minimalRun(tenant, 'r-0001'));
      const finished: RunRecord = {
        ...minimalRun(tenant, 'r-0001'),
        status: 'SUCCEEDED',
        finishedAt: 'later',
      };

      // Act
      await store.putRun(finished);

      // Assess
      expect(await store.getRun(tenant, 'r-0001')).toStrictEqual(finished);
    });

    it('returns undefined for a run that does not exist', async () => {
      expect(await store.getRun(tenant, 'r-missing')).toBeUndefined();
    });

    it('lists runs most recent first, up to the limit', async () => {
      // Prepare
      for (const runId of ['r-0002', 'r-0004', 'r-0001', 'r-0003']) {
        await store.putRun(minimalRun(tenant, runId));
      }

      // Act
      const recent = await store.listRuns(tenant, { limit: 3 });

      // Assess
      expect(recent.runs.map((run) => run.runId)).toEqual(['r-0004', 'r-0003', 'r-0002']);
      expect(recent.runs[0]).toStrictEqual(minimalRun(tenant, 'r-0004'));
      expect(recent.next).toBe('r-0002');
    });

    it("never shows one tenant another tenant's runs or attempts", async () => {
      // Prepare
      const other = `${tenant}-other`;
      await store.putRun(fullRun(tenant, 'r-0001'));
      await store.putRun(fullRun(other, 'r-0002'));
      await store.putAttempt(attemptRecord(other, 'r-0001', 'draft', 1));

      // Act
      const { runs } = await store.listRuns(tenant, { limit: 10 });

      // Assess
      expect(runs.map((run) => [run.tenantId, run.runId])).toEqual([[tenant, 'r-0001']]);
      expect(await store.getRun(tenant, 'r-0002')).toBeUndefined();
      expect(await store.listAttempts(tenant, 'r-0001')).toEqual([]);
      expect(await store.nextAttempt(tenant, 'r-0001', 'draft')).toBe(1);
    });

    it('counts attempts 1, 2, 3 per step, independently', async () => {
      // Act
      const draft = [await store.nextAttempt(tenant, 'r-0001', 'draft')];
      const review = [await store.nextAttempt(tenant, 'r-0001', 'review')];
      draft.push(await store.nextAttempt(tenant, 'r-0001', 'draft'));
      draft.push(await store.nextAttempt(tenant, 'r-0001', 'draft'));
      review.push(await store.nextAttempt(tenant, 'r-0001', 'review'));
      const otherRun = await store.nextAttempt(tenant, 'r-0002', 'draft');

      // Assess
      expect(draft).toEqual([1, 2, 3]);
      expect(review).toEqual([1, 2]);
      expect(otherRun).toBe(1);
    });

    it('hands out distinct attempt numbers to 20 concurrent callers', async () => {
      // Act
      const attempts = await Promise.all(
        Array.from({ length: 20 }, () => store.nextAttempt(tenant, 'r-0001', 'draft')),
      );

      // Assess
      expect([...attempts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('lists attempts by step, then by attempt number, without the counters', async () => {
      // Prepare
      await store.nextAttempt(tenant, 'r-0001', 'draft');
      for (const [stepId, attempt] of [
        ['review', 1],
        ['draft', 10],
        ['draft', 2],
        ['draft', 1],
      ] as const) {
        await store.putAttempt(attemptRecord(tenant, 'r-0001', stepId, attempt));
      }

      // Act
      const attempts = await store.listAttempts(tenant, 'r-0001');

      // Assess
      expect(attempts.map((a) => `${a.stepId}#${a.attempt}`)).toEqual([
        'draft#1',
        'draft#2',
        'draft#10',
        'review#1',
      ]);
      expect(attempts[0]).toStrictEqual(attemptRecord(tenant, 'r-0001', 'draft', 1));
    });

    it('pages through runs with the next id until none is left, each run once', async () => {
      // Prepare
      const ids = Array.from({ length: 7 }, (_, i) => `r-${String(i + 1).padStart(4, '0')}`);
      for (const runId of ids) await store.putRun(minimalRun(tenant, runId));

      // Act
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await store.listRuns(tenant, { limit: 3, ...(after ? { after } : {}) });
        seen.push(...page.runs.map((run) => run.runId));
        after = page.next;
        pages++;
      } while (after !== undefined);

      // Assess
      expect(seen).toEqual([...ids].reverse());
      expect(pages).toBe(3);
    });

    it('filters runs by pipeline and status, paging over the matches only', async () => {
      // Prepare
      const runs: RunRecord[] = [
        { ...minimalRun(tenant, 'r-0001'), pipeline: 'a', status: 'FAILED' },
        { ...minimalRun(tenant, 'r-0002'), pipeline: 'b', status: 'FAILED' },
        { ...minimalRun(tenant, 'r-0003'), pipeline: 'a', status: 'SUCCEEDED' },
        { ...minimalRun(tenant, 'r-0004'), pipeline: 'a', status: 'FAILED' },
        { ...minimalRun(tenant, 'r-0005'), pipeline: 'a', status: 'FAILED' },
      ];
      for (const run of runs) await store.putRun(run);

      // Act
      const first = await store.listRuns(tenant, { limit: 2, pipeline: 'a', status: 'FAILED' });
      const second = await store.listRuns(tenant, {
        limit: 2,
        pipeline: 'a',
        status: 'FAILED',
        ...(first.next ? { after: first.next } : {}),
      });
      const ofB = await store.listRuns(tenant, { limit: 10, pipeline: 'b' });

      // Assess
      expect(first.runs.map((run) => run.runId)).toEqual(['r-0005', 'r-0004']);
      expect(second).toEqual({ runs: [runs[0]] });
      expect(ofB.runs.map((run) => run.runId)).toEqual(['r-0002']);
    });

    it('replaces a run only while it is in the expected status and redrive', async () => {
      // Prepare
      await store.putRun(minimalRun(tenant, 'r-0001'));
      const done: RunRecord = { ...minimalRun(tenant, 'r-0001'), status: 'SUCCEEDED' };

      // Act
      const wrongStatus = await store.replaceRun(done, { status: 'FAILED', redriveCount: 0 });
      const wrongRedrive = await store.replaceRun(done, { status: 'RUNNING', redriveCount: 1 });
      const replaced = await store.replaceRun(done, { status: 'RUNNING', redriveCount: 0 });
      const again = await store.replaceRun(done, { status: 'RUNNING', redriveCount: 0 });
      const redriven = await store.replaceRun(
        { ...done, status: 'RUNNING', redriveCount: 1 },
        { status: 'SUCCEEDED', redriveCount: 0 },
      );
      const afterRedrive = await store.replaceRun(done, { status: 'RUNNING', redriveCount: 1 });
      const missing = await store.replaceRun(minimalRun(tenant, 'r-0002'), {
        status: 'RUNNING',
        redriveCount: 0,
      });

      // Assess
      expect([wrongStatus, wrongRedrive, replaced, again, redriven, afterRedrive, missing]).toEqual([
        false,
        false,
        true,
        false,
        true,
        true,
        false,
      ]);
      expect(await store.getRun(tenant, 'r-0001')).toStrictEqual(done);
    });

    it('lets exactly one of 20 concurrent claims of an idempotency key win', async () => {
      // Act
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.claimIdempotencyKey(claimRecord(tenant, `r-${i}`))),
      );

      // Assess
      expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
      const winner = claims.find((claim) => claim.claimed)?.record.runId;
      expect(new Set(claims.map((claim) => claim.record.runId))).toEqual(new Set([winner]));
      expect(claims.find((claim) => !claim.claimed)?.record).toStrictEqual(claimRecord(tenant, winner ?? ''));
    });

    it('scopes idempotency keys by tenant and pipeline, and lets expired ones be claimed again', async () => {
      // Prepare
      await store.claimIdempotencyKey({ ...claimRecord(tenant, 'r-old'), expiresAt: 1 });

      // Act
      const afterExpiry = await store.claimIdempotencyKey(claimRecord(tenant, 'r-new'));
      const otherPipeline = await store.claimIdempotencyKey({
        ...claimRecord(tenant, 'r-2'),
        pipeline: 'other',
      });
      const otherTenant = await store.claimIdempotencyKey(claimRecord(`${tenant}-b`, 'r-3'));

      // Assess
      expect([afterExpiry.claimed, otherPipeline.claimed, otherTenant.claimed]).toEqual([true, true, true]);
    });

    it('lets exactly one of 20 concurrent claims take over a claim in progress past its expiry whose run never appeared', async () => {
      // Prepare: a request claimed the key, then died before recording its run
      await store.claimIdempotencyKey(abandonedClaim(tenant, 'r-dead', 'k-1'));

      // Act
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.claimIdempotencyKey(claimRecord(tenant, `r-${i}`))),
      );

      // Assess
      expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
      const winner = claims.find((claim) => claim.claimed)?.record.runId;
      expect(winner).toMatch(/^r-\d+$/);
      expect(new Set(claims.map((claim) => claim.record.runId))).toEqual(new Set([winner]));
      expect(claims.find((claim) => !claim.claimed)?.record).toStrictEqual(claimRecord(tenant, winner ?? ''));
    });

    it('keeps a claim in progress before its expiry, one whose run exists, a completed one and one without a status', async () => {
      // Prepare
      await store.claimIdempotencyKey({ ...claimRecord(tenant, 'r-live'), key: 'live' });
      await store.claimIdempotencyKey(abandonedClaim(tenant, 'r-recorded', 'recorded'));
      await store.putRun(minimalRun(tenant, 'r-recorded'));
      await store.claimIdempotencyKey(abandonedClaim(tenant, 'r-done', 'done'));
      await store.completeIdempotencyKey(abandonedClaim(tenant, 'r-done', 'done'));
      const {
        status: _status,
        inProgressExpiry: _expiry,
        ...legacy
      } = abandonedClaim(tenant, 'r-old', 'old');
      await store.claimIdempotencyKey(legacy);

      // Act
      const again = await Promise.all(
        ['live', 'recorded', 'done', 'old'].map((key) =>
          store.claimIdempotencyKey({ ...claimRecord(tenant, `r-new-${key}`), key }),
        ),
      );

      // Assess
      expect(again.map((claim) => [claim.claimed, claim.record.runId])).toEqual([
        [false, 'r-live'],
        [false, 'r-recorded'],
        [false, 'r-done'],
        [false, 'r-old'],
      ]);
      const { inProgressExpiry: _done, ...completed } = abandonedClaim(tenant, 'r-done', 'done');
      expect(again[2]?.record).toStrictEqual({ ...completed, status: 'COMPLETED' });
    });

    it('completes a claim only while it names the same run', async () => {
      // Prepare
      await store.claimIdempotencyKey(abandonedClaim(tenant, 'r-1', 'k-1'));

      // Act: completing another run's claim leaves it in progress, so it can still be taken over
      await store.completeIdempotencyKey(abandonedClaim(tenant, 'r-other', 'k-1'));
      const takeover = await store.claimIdempotencyKey(claimRecord(tenant, 'r-2'));

      // Assess
      expect(takeover).toStrictEqual({ claimed: true, record: claimRecord(tenant, 'r-2') });
    });

    it('releases a claim only while it names the same run', async () => {
      // Prepare
      await store.claimIdempotencyKey(claimRecord(tenant, 'r-1'));

      // Act
      await store.releaseIdempotencyKey(claimRecord(tenant, 'r-other'));
      const stillHeld = await store.claimIdempotencyKey(claimRecord(tenant, 'r-2'));
      await store.releaseIdempotencyKey(claimRecord(tenant, 'r-1'));
      const free = await store.claimIdempotencyKey(claimRecord(tenant, 'r-3'));

      // Assess
      expect(stillHeld).toMatchObject({ claimed: false, record: { runId: 'r-1' } });
      expect(free).toMatchObject({ claimed: true, record: { runId: 'r-3' } });
    });

    it('keeps feedback per run, oldest first, apart from attempts and other tenants', async () => {
      // Prepare
      const later = feedbackRecord(tenant, 'r-0001', 'f-2', '2026-11-02T10:05:00.000Z');
      const earlier = {
        ...feedbackRecord(tenant, 'r-0001', 'f-1', '2026-11-02T10:01:00.000Z'),
        stepId: 'draft',
      };
      await store.putFeedback(later);
      await store.putFeedback(earlier);
      await store.putFeedback(feedbackRecord(`${tenant}-b`, 'r-0001', 'f-3', '2026-11-02T10:00:00.000Z'));
      await store.putAttempt(attemptRecord(tenant, 'r-0001', 'draft', 1));

      // Act
      const feedback = await store.listFeedback(tenant, 'r-0001');
      const attempts = await store.listAttempts(tenant, 'r-0001');

      // Assess
      expect(feedback).toStrictEqual([earlier, later]);
      expect(attempts.map((a) => a.stepId)).toEqual(['draft']);
    });

    it('keeps scores per attempt and evaluator beside feedback; scoring again replaces', async () => {
      // Prepare
      const judged = {
        ...scoreRecord(tenant, 'r-0001', 'draft', 2, 'judge', 0.4),
        kind: 'llm_judge' as const,
        detail: 'misses the point',
        judge: {
          model: 'mock-1',
          usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 0 },
          costUsd: 0.001,
        },
      };
      await store.putScore(scoreRecord(tenant, 'r-0001', 'draft', 2, 'valid', 0));
      await store.putScore(scoreRecord(tenant, 'r-0001', 'draft', 2, 'valid', 1));
      await store.putScore(judged);
      await store.putScore(scoreRecord(tenant, 'r-0001', 'draft', 1, 'valid', 0));
      await store.putScore(scoreRecord(`${tenant}-b`, 'r-0001', 'draft', 1, 'valid', 1));
      await store.putFeedback(feedbackRecord(tenant, 'r-0001', 'f-1', '2026-11-02T10:01:00.000Z'));
      await store.putAttempt(attemptRecord(tenant, 'r-0001', 'draft', 1));

      // Act
      const scores = await store.listScores(tenant, 'r-0001');

      // Assess
      expect(scores).toStrictEqual([
        scoreRecord(tenant, 'r-0001', 'draft', 1, 'valid', 0),
        judged,
        scoreRecord(tenant, 'r-0001', 'draft', 2, 'valid', 1),
      ]);
      expect(await store.listFeedback(tenant, 'r-0001')).toHaveLength(1);
      expect(await store.listAttempts(tenant, 'r-0001')).toHaveLength(1);
    });

    it('registers pipelines per tenant, kept out of the run listing', async () => {
      // Prepare
      await store.putPipeline(pipelineRecord(tenant, 'beta'));
      await store.putPipeline(pipelineRecord(tenant, 'alpha'));
      await store.putPipeline(pipelineRecord(`${tenant}-b`, 'gamma'));
      await store.claimIdempotencyKey(claimRecord(tenant, 'r-1'));
      await store.putRun(minimalRun(tenant, 'r-0001'));

      // Act
      const listed = await store.listPipelines(tenant);
      const runs = await store.listRuns(tenant, { limit: 10 });

      // Assess
      expect(listed).toStrictEqual([pipelineRecord(tenant, 'alpha'), pipelineRecord(tenant, 'beta')]);
      expect(await store.getPipeline(tenant, 'gamma')).toBeUndefined();
      expect(runs.runs.map((run) => run.runId)).toEqual(['r-0001']);
    });
  });
}

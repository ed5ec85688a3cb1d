import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRecord, RunRecord, RunStore } from '../../functions/core/ports/run-store.js';

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
      const recent = await store.listRuns(tenant, 3);

      // Assess
      expect(recent.map((run) => run.runId)).toEqual(['r-0004', 'r-0003', 'r-0002']);
      expect(recent[0]).toStrictEqual(minimalRun(tenant, 'r-0004'));
    });

    it("never shows one tenant another tenant's runs or attempts", async () => {
      // Prepare
      const other = `${tenant}-other`;
      await store.putRun(fullRun(tenant, 'r-0001'));
      await store.putRun(fullRun(other, 'r-0002'));
      await store.putAttempt(attemptRecord(other, 'r-0001', 'draft', 1));

      // Act
      const runs = await store.listRuns(tenant, 10);

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
  });
}

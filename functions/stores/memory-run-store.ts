import type { Iteration } from '../../pipelines/contract/step-event.js';
import type { AttemptRecord } from '../ports/attempts.js';
import type { FeedbackRecord } from '../ports/feedback.js';
import type { IdempotencyClaim, IdempotencyRecord } from '../ports/idempotency.js';
import type { PipelineRecord } from '../ports/registered-pipelines.js';
import type { RunStore } from '../ports/run-store.js';
import type { RunPage, RunQuery, RunRecord, RunVersion } from '../ports/runs.js';
import type { ScoreRecord } from '../ports/scores.js';
import { tableKeys, tenantPartition } from './table-definitions.js';

/**
 * Runs, attempts, idempotency records, feedback, scores and pipelines in Maps keyed like the DynamoDB tables,
 * for unit tests: the same keys give the same orderings. Records are cloned on the way in and out, as
 * a database would; every check-and-write happens without an `await` in between, so it is atomic.
 *
 * @example
 * const store = new MemoryRunStore();
 */
export class MemoryRunStore implements RunStore {
  /** Partition key to (sort key to record). */
  private readonly runs = new Map<string, Map<string, RunRecord>>();
  private readonly attempts = new Map<string, Map<string, AttemptRecord>>();
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly claims = new Map<string, Map<string, IdempotencyRecord>>();
  private readonly feedback = new Map<string, Map<string, FeedbackRecord>>();
  private readonly scores = new Map<string, Map<string, ScoreRecord>>();
  private readonly pipelines = new Map<string, Map<string, PipelineRecord>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async putRun(run: RunRecord): Promise<void> {
    const { pk, sk } = tableKeys.run(run.tenantId, run.runId);
    partition(this.runs, pk).set(sk, structuredClone(run));
  }

  async replaceRun(run: RunRecord, expected: RunVersion): Promise<boolean> {
    const { pk, sk } = tableKeys.run(run.tenantId, run.runId);
    const stored = this.runs.get(pk)?.get(sk);
    if (stored?.status !== expected.status || (stored.redriveCount ?? 0) !== expected.redriveCount) {
      return false;
    }
    partition(this.runs, pk).set(sk, structuredClone(run));
    return true;
  }

  async getRun(tenantId: string, runId: string): Promise<RunRecord | undefined> {
    const { pk, sk } = tableKeys.run(tenantId, runId);
    const run = this.runs.get(pk)?.get(sk);
    return run === undefined ? undefined : structuredClone(run);
  }

  async listRuns(tenantId: string, query: RunQuery): Promise<RunPage> {
    const matching = sortedBySortKey(this.runs.get(tenantPartition(tenantId)))
      .reverse()
      .filter(
        (run) =>
          (query.after === undefined || run.runId < query.after) &&
          (query.pipeline === undefined || run.pipeline === query.pipeline) &&
          (query.status === undefined || run.status === query.status),
      );
    const runs = matching.slice(0, query.limit);
    const last = runs.at(-1);
    return matching.length > query.limit && last ? { runs, next: last.runId } : { runs };
  }

  async nextAttempt(tenantId: string, runId: string, stepId: string, iteration?: Iteration): Promise<number> {
    const { pk, sk } = tableKeys.attemptCounter(tenantId, runId, stepId, iteration);
    const counters = partition(this.counters, pk);
    const attempt = (counters.get(sk) ?? 0) + 1;
    counters.set(sk, attempt);
    return attempt;
  }

  async putAttempt(attempt: AttemptRecord): Promise<void> {
    const { tenantId, runId, stepId, iteration } = attempt;
    const { pk, sk } = tableKeys.attempt(tenantId, runId, stepId, attempt.attempt, iteration);
    partition(this.attempts, pk).set(sk, structuredClone(attempt));
  }

  async listAttempts(tenantId: string, runId: string): Promise<AttemptRecord[]> {
    return sortedBySortKey(this.attempts.get(tableKeys.attemptPartition(tenantId, runId)));
  }

  async claimIdempotencyKey(record: IdempotencyRecord): Promise<IdempotencyClaim> {
    const { pk, sk } = tableKeys.idempotency(record.tenantId, record.pipeline, record.key);
    const claims = partition(this.claims, pk);
    const existing = claims.get(sk);
    const now = this.now().getTime() / 1000;
    if (existing && existing.expiresAt > now && !this.abandoned(existing, now)) {
      return { claimed: false, record: structuredClone(existing) };
    }
    claims.set(sk, structuredClone(record));
    return { claimed: true, record: structuredClone(record) };
  }

  /** An `IN_PROGRESS` claim past its in-progress expiry whose run was never recorded. */
  private abandoned(claim: IdempotencyRecord, now: number): boolean {
    if (claim.status !== 'IN_PROGRESS' || (claim.inProgressExpiry ?? 0) > now) return false;
    const { pk, sk } = tableKeys.run(claim.tenantId, claim.runId);
    return this.runs.get(pk)?.get(sk) === undefined;
  }

  async completeIdempotencyKey(record: IdempotencyRecord): Promise<void> {
    const { pk, sk } = tableKeys.idempotency(record.tenantId, record.pipeline, record.key);
    const stored = this.claims.get(pk)?.get(sk);
    if (stored?.runId !== record.runId) return;
    const { inProgressExpiry: _expiry, ...completed } = stored;
    partition(this.claims, pk).set(sk, { ...completed, status: 'COMPLETED' });
  }

  async releaseIdempotencyKey(record: IdempotencyRecord): Promise<void> {
    const { pk, sk } = tableKeys.idempotency(record.tenantId, record.pipeline, record.key);
    if (this.claims.get(pk)?.get(sk)?.runId === record.runId) this.claims.get(pk)?.delete(sk);
  }

  async putFeedback(feedback: FeedbackRecord): Promise<void> {
    const { pk, sk } = tableKeys.feedback(
      feedback.tenantId,
      feedback.runId,
      feedback.createdAt,
      feedback.feedbackId,
    );
    partition(this.feedback, pk).set(sk, structuredClone(feedback));
  }

  async listFeedback(tenantId: string, runId: string): Promise<FeedbackRecord[]> {
    return sortedBySortKey(this.feedback.get(tableKeys.attemptPartition(tenantId, runId)));
  }

  async putScore(score: ScoreRecord): Promise<void> {
    const { tenantId, runId, stepId, attempt, evaluator, iteration } = score;
    const { pk, sk } = tableKeys.score(tenantId, runId, stepId, attempt, evaluator, iteration);
    partition(this.scores, pk).set(sk, structuredClone(score));
  }

  async listScores(tenantId: string, runId: string): Promise<ScoreRecord[]> {
    return sortedBySortKey(this.scores.get(tableKeys.attemptPartition(tenantId, runId)));
  }

  async putPipeline(pipeline: PipelineRecord): Promise<void> {
    const { pk, sk } = tableKeys.pipeline(pipeline.tenantId, pipeline.name);
    partition(this.pipelines, pk).set(sk, structuredClone(pipeline));
  }

  async getPipeline(tenantId: string, name: string): Promise<PipelineRecord | undefined> {
    const { pk, sk } = tableKeys.pipeline(tenantId, name);
    const pipeline = this.pipelines.get(pk)?.get(sk);
    return pipeline === undefined ? undefined : structuredClone(pipeline);
  }

  async listPipelines(tenantId: string): Promise<PipelineRecord[]> {
    return sortedBySortKey(this.pipelines.get(tenantPartition(tenantId)));
  }
}

/** The items of one partition, created empty on first use. */
function partition<T>(table: Map<string, Map<string, T>>, pk: string): Map<string, T> {
  let items = table.get(pk);
  if (items === undefined) {
    items = new Map();
    table.set(pk, items);
  }
  return items;
}

/** Clones of a partition's items in ascending sort-key order, as a DynamoDB Query returns them. */
function sortedBySortKey<T>(items: Map<string, T> | undefined): T[] {
  return [...(items ?? new Map<string, T>())]
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map(([, item]) => structuredClone(item));
}

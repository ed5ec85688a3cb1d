import type { AttemptRecord, RunRecord, RunStore } from '../ports/run-store.js';
import { tableKeys, tenantPartition } from './table-definitions.js';

/**
 * Runs and attempts in Maps keyed like the DynamoDB tables, for unit tests: the same keys give the
 * same orderings. Records are cloned on the way in and out, as a database would.
 *
 * @example
 * const store = new MemoryRunStore();
 */
export class MemoryRunStore implements RunStore {
  /** Partition key to (sort key to record). */
  private readonly runs = new Map<string, Map<string, RunRecord>>();
  private readonly attempts = new Map<string, Map<string, AttemptRecord>>();
  private readonly counters = new Map<string, Map<string, number>>();

  async putRun(run: RunRecord): Promise<void> {
    const { pk, sk } = tableKeys.run(run.tenantId, run.runId);
    partition(this.runs, pk).set(sk, structuredClone(run));
  }

  async getRun(tenantId: string, runId: string): Promise<RunRecord | undefined> {
    const { pk, sk } = tableKeys.run(tenantId, runId);
    const run = this.runs.get(pk)?.get(sk);
    return run === undefined ? undefined : structuredClone(run);
  }

  async listRuns(tenantId: string, limit: number): Promise<RunRecord[]> {
    return sortedBySortKey(this.runs.get(tenantPartition(tenantId)))
      .reverse()
      .slice(0, limit);
  }

  async nextAttempt(tenantId: string, runId: string, stepId: string): Promise<number> {
    const { pk, sk } = tableKeys.attemptCounter(tenantId, runId, stepId);
    const counters = partition(this.counters, pk);
    const attempt = (counters.get(sk) ?? 0) + 1;
    counters.set(sk, attempt);
    return attempt;
  }

  async putAttempt(attempt: AttemptRecord): Promise<void> {
    const { pk, sk } = tableKeys.attempt(attempt.tenantId, attempt.runId, attempt.stepId, attempt.attempt);
    partition(this.attempts, pk).set(sk, structuredClone(attempt));
  }

  async listAttempts(tenantId: string, runId: string): Promise<AttemptRecord[]> {
    return sortedBySortKey(this.attempts.get(tableKeys.attemptPartition(tenantId, runId)));
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

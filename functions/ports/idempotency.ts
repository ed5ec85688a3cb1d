/**
 * Where the request holding an idempotency key is: `IN_PROGRESS` from the claim until its run is
 * recorded and its execution started, `COMPLETED` after (the semantics of Powertools' idempotency).
 */
export type IdempotencyStatus = 'IN_PROGRESS' | 'COMPLETED';

/** Ties an idempotency key of a tenant's pipeline to the run it started. */
export interface IdempotencyRecord {
  readonly tenantId: string;
  readonly pipeline: string;
  readonly key: string;
  readonly runId: string;
  /** Hash of the request the key was first used with; a different request under the same key is refused. */
  readonly requestHash: string;
  readonly createdAt: string;
  /** Epoch seconds after which the key may start a new run (DynamoDB TTL attribute). */
  readonly expiresAt: number;
  /** Absent on records written before claims had a status: those count as `COMPLETED`. */
  readonly status?: IdempotencyStatus;
  /**
   * While `IN_PROGRESS`: epoch seconds until which the claiming request is taken to be alive. After
   * it, a claim of the key takes the record over unless the record's run exists (its request died
   * after the claim, before recording the run).
   */
  readonly inProgressExpiry?: number;
}

/** What claiming an idempotency key found: our record when we claimed it, the earlier one otherwise. */
export interface IdempotencyClaim {
  readonly claimed: boolean;
  readonly record: IdempotencyRecord;
}

/**
 * The idempotency keys of run starts (part of the `RunStore`). Every change is one conditional
 * single-item write, since the local stack's DynamoDB has no transactions: races between requests
 * are settled by the condition, not by a lock.
 *
 * @example
 * const { claimed, record } = await keys.claimIdempotencyKey(claim);
 */
export interface IdempotencyKeys {
  /**
   * Stores the record unless an unexpired one holds the same tenant, pipeline and key; atomic, so of
   * concurrent claims exactly one wins and the others get the winner's record. An `IN_PROGRESS`
   * record whose `inProgressExpiry` has passed and whose run does not exist no longer holds the key:
   * the claim takes it over (a write conditional on the old record's run and expiry, so of
   * concurrent takeovers exactly one wins too).
   */
  claimIdempotencyKey(record: IdempotencyRecord): Promise<IdempotencyClaim>;
  /** Marks a claim `COMPLETED` (its run is recorded and executing), if it still names the same run. */
  completeIdempotencyKey(record: IdempotencyRecord): Promise<void>;
  /** Deletes a claim, if it still names the same run, so a retry can start afresh. */
  releaseIdempotencyKey(record: IdempotencyRecord): Promise<void>;
}

import type { ProviderName } from '../errors.js';
import type { TokenUsage } from './provider.js';

/** Life cycle of a run. */
export type RunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** A run as stored: what started, how it ended, and what it cost in total. */
export interface RunRecord {
  readonly tenantId: string;
  readonly runId: string;
  readonly pipeline: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly inputs: Record<string, unknown>;
  /** S3 key of the spec bundle the run executes. */
  readonly bundleKey: string;
  readonly error?: { readonly name: string; readonly message: string; readonly stepId?: string };
  readonly usage?: RunUsage;
}

/** Token and cost totals of a run. */
export interface RunUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** Outcome of one attempt of one step. */
export type AttemptStatus = 'SUCCEEDED' | 'FAILED';

/** The metrics record of one step attempt: one per provider call, written before the step returns. */
export interface AttemptRecord {
  readonly tenantId: string;
  readonly runId: string;
  readonly stepId: string;
  /** 1-based. */
  readonly attempt: number;
  readonly status: AttemptStatus;
  readonly provider: ProviderName;
  readonly model: string;
  readonly usage: TokenUsage;
  /** USD from the price table; 0 with `priced: false` for models the table does not know. */
  readonly costUsd: number;
  readonly priced: boolean;
  readonly latencyMs: number;
  readonly promptVersion: string;
  readonly startedAt: string;
  readonly artifactKey?: string;
  readonly error?: { readonly name: string; readonly message: string };
}

/**
 * Run and attempt records (DynamoDB in the cloud and on the local stack). Keys are led by the tenant,
 * so IAM `dynamodb:LeadingKeys` can fence each tenant in.
 */
export interface RunStore {
  putRun(run: RunRecord): Promise<void>;
  getRun(tenantId: string, runId: string): Promise<RunRecord | undefined>;
  /** Most recent first. */
  listRuns(tenantId: string, limit: number): Promise<RunRecord[]>;
  /**
   * Atomically counts one more attempt of a step and returns its 1-based number. The counter lives in
   * the store, not in the state machine, so a retry after a lost Lambda reply still gets a new number.
   */
  nextAttempt(tenantId: string, runId: string, stepId: string): Promise<number>;
  putAttempt(attempt: AttemptRecord): Promise<void>;
  /** Every attempt of a run, ordered by step then attempt. */
  listAttempts(tenantId: string, runId: string): Promise<AttemptRecord[]>;
}

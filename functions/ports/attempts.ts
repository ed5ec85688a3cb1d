import type { ProviderName } from '../../pipelines/contract/models.js';
import type { Iteration } from '../../pipelines/contract/step-event.js';
import type { TokenUsage } from './provider.js';

/** Outcome of one attempt of one step. */
export type AttemptStatus = 'SUCCEEDED' | 'FAILED';

/** The metrics record of one step attempt: one per provider call, written before the step returns. */
export interface AttemptRecord {
  readonly tenantId: string;
  readonly runId: string;
  readonly stepId: string;
  /** Inside a loop body: the iteration the attempt belongs to; attempts count from 1 in each. */
  readonly iteration?: Iteration;
  /** 1-based, within the iteration. */
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
  /** True when a fallback answered instead of the step's own call (a degraded result). */
  readonly degraded?: boolean;
  /** The fallback that answered (`fallback_model`, `graceful_degradation`, …), when degraded. */
  readonly degradedReason?: string;
  /** The error that sent the step to its fallback, when degraded. */
  readonly originalError?: string;
  /** An agent step's attempt: the turn of its tool-use loop the attempt answered. */
  readonly turn?: number;
  /** An agent turn's tool calls, in order, as run (long inputs cut; the turn's record in S3 has them whole). */
  readonly toolCalls?: readonly AttemptToolCall[];
}

/** One tool call of an agent turn, as its attempt records it. */
export interface AttemptToolCall {
  readonly name: string;
  /** The input as the model gave it (a refused path is kept as written); long strings are cut. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly isError: boolean;
  /** Why the call was refused or failed (`Tool.OutsideWorkspace`, `File.NotFound`, …). */
  readonly errorName?: string;
}

/**
 * The attempt metrics of a run's steps and their attempt counters (part of the `RunStore`).
 *
 * @example
 * const attempt = await attempts.nextAttempt('acme', runId, 'outline');
 */
export interface AttemptRecords {
  /**
   * Atomically counts one more attempt of a step (in one iteration, inside a loop body) and returns
   * its 1-based number. The counter lives in the store, not in the state machine, so a retry after a
   * lost Lambda reply still gets a new number.
   */
  nextAttempt(tenantId: string, runId: string, stepId: string, iteration?: Iteration): Promise<number>;
  putAttempt(attempt: AttemptRecord): Promise<void>;
  /** Every attempt of a run, ordered by step, then iteration, then attempt. */
  listAttempts(tenantId: string, runId: string): Promise<AttemptRecord[]>;
}

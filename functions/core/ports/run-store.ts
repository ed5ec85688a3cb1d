import type { EvaluatorSpec } from '../../../pipelines/contract/learning-spec.js';
import type { ProviderName } from '../../../pipelines/contract/models.js';
import type { Iteration } from '../../../pipelines/contract/step-event.js';
import type { InputDecl } from '../../../pipelines/contract/step-options.js';
import type { TokenUsage } from './provider.js';

/** Every state a run can be in: running, or one of the ways a Step Functions execution ends. */
export const RUN_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** Life cycle of a run. */
export type RunStatus = (typeof RUN_STATUSES)[number];

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
  /** ARN of the state machine executing the run; absent for runs the CLI executes directly. */
  readonly stateMachine?: string;
  /** How many times the run was redriven; absent until its first redrive. */
  readonly redriveCount?: number;
  readonly error?: { readonly name: string; readonly message: string; readonly stepId?: string };
  readonly usage?: RunUsage;
}

/** Token and cost totals of a run. */
export interface RunUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** What a conditional replace expects the stored run to be, so two writers cannot both win. */
export interface RunVersion {
  readonly status: RunStatus;
  readonly redriveCount: number;
}

/** Which runs to list: newest first, optionally of one pipeline or in one status. */
export interface RunQuery {
  readonly limit: number;
  readonly pipeline?: string;
  readonly status?: RunStatus;
  /** List only runs older than this run id (the `next` of the previous page). */
  readonly after?: string;
}

/** One page of runs. */
export interface RunPage {
  readonly runs: RunRecord[];
  /** The id to pass as `after` for the next page; absent on the last page. */
  readonly next?: string;
}

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
}

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

/** An evaluator's score of one attempt (`evaluators:` in the pipeline); the optimizer reads these. */
export interface ScoreRecord {
  readonly tenantId: string;
  readonly runId: string;
  readonly stepId: string;
  /** The iteration of the attempt scored, inside a loop body. */
  readonly iteration?: Iteration;
  readonly attempt: number;
  /** The evaluator's name, unique among the step's evaluators. */
  readonly evaluator: string;
  readonly kind: EvaluatorSpec['kind'];
  /** From 0 (bad) to 1 (good). */
  readonly score: number;
  /** The prompt version of the attempt scored (`spec:…` or a prompt pack's `pack:…`). */
  readonly promptVersion: string;
  /** Why, in a few words: the check that failed, the judge's reason, the later step's outcome. */
  readonly detail?: string;
  /** The model call an `llm_judge` made. */
  readonly judge?: { readonly model: string; readonly usage: TokenUsage; readonly costUsd: number };
  readonly createdAt: string;
}

/** A score given to a run, or to one step of it, through the feedback API; the optimizer reads these. */
export interface FeedbackRecord {
  readonly tenantId: string;
  readonly runId: string;
  readonly feedbackId: string;
  /** From 0 (bad) to 1 (good). */
  readonly score: number;
  readonly stepId?: string;
  /** The prompt version of the scored step's successful attempt. */
  readonly promptVersion?: string;
  readonly comment?: string;
  readonly createdAt: string;
}

/** A pipeline registered at run time (`PUT /v1/pipelines/{name}`). */
export interface PipelineRecord {
  readonly tenantId: string;
  readonly name: string;
  readonly description?: string;
  /** S3 key of the compiled spec bundle. */
  readonly bundleKey: string;
  readonly bundleHash: string;
  /** ARN of the state machine that runs it. */
  readonly stateMachine: string;
  /** Declared inputs and step names in order, for listings that should not read the bundle. */
  readonly inputs: Readonly<Record<string, InputDecl>>;
  readonly steps: readonly string[];
  readonly updatedAt: string;
}

/**
 * Run records, attempt metrics, idempotency keys, feedback, scores and registered pipelines (DynamoDB in the
 * cloud and on the local stack). Keys are led by the tenant, so IAM `dynamodb:LeadingKeys` can fence
 * each tenant in. Every write is a single item: dynalite has no transactions.
 *
 * @example
 * const page = await store.listRuns('acme', { limit: 20, status: 'FAILED' });
 */
export interface RunStore {
  putRun(run: RunRecord): Promise<void>;
  /** Replaces a run only if it is still in the `expected` version; false when another writer won. */
  replaceRun(run: RunRecord, expected: RunVersion): Promise<boolean>;
  getRun(tenantId: string, runId: string): Promise<RunRecord | undefined>;
  /** Most recent first. */
  listRuns(tenantId: string, query: RunQuery): Promise<RunPage>;
  /**
   * Atomically counts one more attempt of a step (in one iteration, inside a loop body) and returns
   * its 1-based number. The counter lives in the store, not in the state machine, so a retry after a
   * lost Lambda reply still gets a new number.
   */
  nextAttempt(tenantId: string, runId: string, stepId: string, iteration?: Iteration): Promise<number>;
  putAttempt(attempt: AttemptRecord): Promise<void>;
  /** Every attempt of a run, ordered by step, then iteration, then attempt. */
  listAttempts(tenantId: string, runId: string): Promise<AttemptRecord[]>;
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
  putFeedback(feedback: FeedbackRecord): Promise<void>;
  /** A run's feedback, oldest first. */
  listFeedback(tenantId: string, runId: string): Promise<FeedbackRecord[]>;
  /** Stores an evaluator's score of an attempt; scoring the same attempt with the same evaluator again replaces it. */
  putScore(score: ScoreRecord): Promise<void>;
  /** A run's scores, by step, attempt and evaluator. */
  listScores(tenantId: string, runId: string): Promise<ScoreRecord[]>;
  putPipeline(pipeline: PipelineRecord): Promise<void>;
  getPipeline(tenantId: string, name: string): Promise<PipelineRecord | undefined>;
  /** Registered pipelines by name. */
  listPipelines(tenantId: string): Promise<PipelineRecord[]>;
}

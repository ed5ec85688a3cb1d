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
  /** The repository snapshot the run works on, when it was started with one. */
  readonly workspaceId?: string;
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

/**
 * The run records of a tenant, keyed by tenant then run id (part of the `RunStore`). Run ids sort by
 * start time, so listings are newest first.
 *
 * @example
 * const page = await runs.listRuns('acme', { limit: 20, status: 'FAILED' });
 */
export interface RunRecords {
  putRun(run: RunRecord): Promise<void>;
  /** Replaces a run only if it is still in the `expected` version; false when another writer won. */
  replaceRun(run: RunRecord, expected: RunVersion): Promise<boolean>;
  getRun(tenantId: string, runId: string): Promise<RunRecord | undefined>;
  /** Most recent first. */
  listRuns(tenantId: string, query: RunQuery): Promise<RunPage>;
}

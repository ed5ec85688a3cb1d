/**
 * The DynamoDB table designs, as data shared by the CDK stack and the local stack, and the one place
 * their keys are spelled. Every partition key starts with `TENANT#{tenantId}`, so an IAM
 * `dynamodb:LeadingKeys` condition on that prefix fences a tenant in.
 */

/** Physical table names, one per table design. */
export interface TableNames {
  readonly runs: string;
  readonly attempts: string;
}

/** A string key attribute of a table. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S';
}

/** One table's design: how its name ends, its keys, and its billing. */
export interface TableDefinition {
  /** Appended to a stack or stage prefix to name the table. */
  readonly suffix: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** On-demand capacity: runs arrive in bursts and idle in between. */
  readonly billingMode: 'PAY_PER_REQUEST';
}

const PK: KeyAttribute = { name: 'pk', type: 'S' };
const SK: KeyAttribute = { name: 'sk', type: 'S' };

/**
 * Both tables. `runs` holds one item per run (`TENANT#t` / `RUN#r`; run ids sort by time, so a
 * descending Query lists recent runs). `attempts` holds the attempt records of a run
 * (`TENANT#t#RUN#r` / `STEP#s#ATTEMPT#0001`) beside one counter item per step (`STEP#s#COUNTER`).
 *
 * @example
 * new dynamodb.Table(this, 'Runs', { tableName: `${prefix}-${TABLE_DEFINITIONS.runs.suffix}`, ... });
 */
export const TABLE_DEFINITIONS: { readonly [K in keyof TableNames]: TableDefinition } = {
  runs: { suffix: 'runs', partitionKey: PK, sortKey: SK, billingMode: 'PAY_PER_REQUEST' },
  attempts: { suffix: 'attempts', partitionKey: PK, sortKey: SK, billingMode: 'PAY_PER_REQUEST' },
};

/** Names every table `{prefix}-{suffix}`. */
export function tableNames(prefix: string): TableNames {
  return {
    runs: `${prefix}-${TABLE_DEFINITIONS.runs.suffix}`,
    attempts: `${prefix}-${TABLE_DEFINITIONS.attempts.suffix}`,
  };
}

/** The primary key of an item in either table. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** Attempt numbers are zero-padded to this width so the sort key orders them numerically. */
const ATTEMPT_DIGITS = 4;

/** The partition of a tenant's runs; also the leading prefix of every key the tenant owns. */
export function tenantPartition(tenantId: string): string {
  return `TENANT#${tenantId}`;
}

/** The sort-key prefix shared by every run item. */
export const RUN_SORT_PREFIX = 'RUN#';

/** The sort-key prefix shared by every attempt and counter item of a run. */
export const STEP_SORT_PREFIX = 'STEP#';

/** Key builders for both tables. */
export const tableKeys = {
  /** A run item in the runs table. */
  run(tenantId: string, runId: string): ItemKey {
    return { pk: tenantPartition(tenantId), sk: `${RUN_SORT_PREFIX}${runId}` };
  },
  /** The partition holding every attempt of a run in the attempts table. */
  attemptPartition(tenantId: string, runId: string): string {
    return `${tenantPartition(tenantId)}#RUN#${runId}`;
  },
  /** An attempt record in the attempts table. */
  attempt(tenantId: string, runId: string, stepId: string, attempt: number): ItemKey {
    const padded = String(attempt).padStart(ATTEMPT_DIGITS, '0');
    return {
      pk: tableKeys.attemptPartition(tenantId, runId),
      sk: `${STEP_SORT_PREFIX}${stepId}#ATTEMPT#${padded}`,
    };
  },
  /** The per-step attempt counter in the attempts table. */
  attemptCounter(tenantId: string, runId: string, stepId: string): ItemKey {
    return { pk: tableKeys.attemptPartition(tenantId, runId), sk: `${STEP_SORT_PREFIX}${stepId}#COUNTER` };
  },
} as const;

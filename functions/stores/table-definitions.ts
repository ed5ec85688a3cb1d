/**
 * The DynamoDB table designs, as data shared by the CDK stack and the local stack, and the one place
 * their keys are spelled. Every key a tenant owns starts with `TENANT#{tenantId}`, so an IAM
 * `dynamodb:LeadingKeys` condition on that prefix fences a tenant in. The one exception is the API
 * key lookup by hash, which must work before the tenant is known.
 */

import type { Iteration } from '../../pipelines/contract/step-event.js';

/** Physical table names, one per table design. */
export interface TableNames {
  readonly runs: string;
  readonly attempts: string;
  readonly apiKeys: string;
}

/** The tables a `RunStore` uses. */
export type RunTableNames = Pick<TableNames, 'runs' | 'attempts'>;

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
  /** Attribute holding an item's expiry in epoch seconds, for DynamoDB TTL; absent when items never expire. */
  readonly timeToLiveAttribute?: string;
}

const PK: KeyAttribute = { name: 'pk', type: 'S' };
const SK: KeyAttribute = { name: 'sk', type: 'S' };

/** The TTL attribute of idempotency records. */
export const EXPIRES_AT_ATTRIBUTE = 'expiresAt';

/**
 * The three tables.
 * - `runs`, partition `TENANT#t`: one item per run (`RUN#r`; run ids sort by time, so a descending
 *   Query lists recent runs), idempotency records (`IDEMPOTENCY#pipeline#key`, expiring through TTL)
 *   and registered pipelines (`PIPELINE#name`), and the prompt pack registry: one record per pack
 *   version (`PROMPTPACK#pipeline#step#version`) and a step's active pointer (`PROMPTACTIVE#pipeline#step`).
 * - `attempts`, partition `TENANT#t#RUN#r`: the attempt records of a run (`STEP#s#ATTEMPT#0001`),
 *   one counter item per step (`STEP#s#COUNTER`), the run's feedback (`FEEDBACK#time#id`) and the
 *   evaluators' scores of its attempts (`SCORE#s#ATTEMPT#0001#evaluator`).
 * - `apiKeys`: each key twice, written one item at a time: `TENANT#t` / `APIKEY#id` (led by the
 *   tenant, for listing and revoking) and `APIKEYHASH#sha256` / `APIKEY` (the lookup on each request).
 *
 * @example
 * new dynamodb.Table(this, 'Runs', { tableName: `${prefix}-${TABLE_DEFINITIONS.runs.suffix}`, ... });
 */
export const TABLE_DEFINITIONS: { readonly [K in keyof TableNames]: TableDefinition } = {
  runs: {
    suffix: 'runs',
    partitionKey: PK,
    sortKey: SK,
    billingMode: 'PAY_PER_REQUEST',
    timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
  },
  attempts: { suffix: 'attempts', partitionKey: PK, sortKey: SK, billingMode: 'PAY_PER_REQUEST' },
  apiKeys: { suffix: 'api-keys', partitionKey: PK, sortKey: SK, billingMode: 'PAY_PER_REQUEST' },
};

/** Names every table `{prefix}-{suffix}`. */
export function tableNames(prefix: string): TableNames {
  return {
    runs: `${prefix}-${TABLE_DEFINITIONS.runs.suffix}`,
    attempts: `${prefix}-${TABLE_DEFINITIONS.attempts.suffix}`,
    apiKeys: `${prefix}-${TABLE_DEFINITIONS.apiKeys.suffix}`,
  };
}

/** The primary key of an item in any table. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/**
 * Attempt numbers and loop indexes are zero-padded to this width so the sort key orders them
 * numerically (a loop runs at most 1,000 iterations).
 */
const ATTEMPT_DIGITS = 4;

function padded(number: number): string {
  return String(number).padStart(ATTEMPT_DIGITS, '0');
}

/**
 * A step's part of a sort key: its id, and inside a loop body its iteration
 * (`review#ITERATION#0001.0000`), so each iteration's attempts are numbered and stored apart.
 */
function stepInIteration(stepId: string, iteration: Iteration | undefined): string {
  return iteration === undefined ? stepId : `${stepId}#ITERATION#${iteration.map(padded).join('.')}`;
}

/** The partition of a tenant's runs; also the leading prefix of every key the tenant owns. */
export function tenantPartition(tenantId: string): string {
  return `TENANT#${tenantId}`;
}

/** The sort-key prefix shared by every run item. */
export const RUN_SORT_PREFIX = 'RUN#';

/** The sort-key prefix shared by every attempt and counter item of a run. */
export const STEP_SORT_PREFIX = 'STEP#';

/** The sort-key prefix of registered pipelines. */
export const PIPELINE_SORT_PREFIX = 'PIPELINE#';

/** The sort-key prefix of a run's feedback. */
export const FEEDBACK_SORT_PREFIX = 'FEEDBACK#';

/** The sort-key prefix of a run's evaluator scores. */
export const SCORE_SORT_PREFIX = 'SCORE#';

/** The sort-key prefix of a tenant's API keys. */
export const API_KEY_SORT_PREFIX = 'APIKEY#';

/** Key builders for every table. */
export const tableKeys = {
  /** A run item in the runs table. */
  run(tenantId: string, runId: string): ItemKey {
    return { pk: tenantPartition(tenantId), sk: `${RUN_SORT_PREFIX}${runId}` };
  },
  /** An idempotency record in the runs table; pipeline names hold no `#`, so the key is unambiguous. */
  idempotency(tenantId: string, pipeline: string, key: string): ItemKey {
    return { pk: tenantPartition(tenantId), sk: `IDEMPOTENCY#${pipeline}#${key}` };
  },
  /** A registered pipeline in the runs table. */
  pipeline(tenantId: string, name: string): ItemKey {
    return { pk: tenantPartition(tenantId), sk: `${PIPELINE_SORT_PREFIX}${name}` };
  },
  /** The partition holding every attempt of a run in the attempts table. */
  attemptPartition(tenantId: string, runId: string): string {
    return `${tenantPartition(tenantId)}#RUN#${runId}`;
  },
  /** An attempt record in the attempts table. */
  attempt(tenantId: string, runId: string, stepId: string, attempt: number, iteration?: Iteration): ItemKey {
    return {
      pk: tableKeys.attemptPartition(tenantId, runId),
      sk: `${STEP_SORT_PREFIX}${stepInIteration(stepId, iteration)}#ATTEMPT#${padded(attempt)}`,
    };
  },
  /** The attempt counter of a step (of one iteration of it, inside a loop body) in the attempts table. */
  attemptCounter(tenantId: string, runId: string, stepId: string, iteration?: Iteration): ItemKey {
    return {
      pk: tableKeys.attemptPartition(tenantId, runId),
      sk: `${STEP_SORT_PREFIX}${stepInIteration(stepId, iteration)}#COUNTER`,
    };
  },
  /** A feedback record in the attempts table, beside the attempts it scores; sorts by time. */
  feedback(tenantId: string, runId: string, createdAt: string, feedbackId: string): ItemKey {
    return {
      pk: tableKeys.attemptPartition(tenantId, runId),
      sk: `${FEEDBACK_SORT_PREFIX}${createdAt}#${feedbackId}`,
    };
  },
  /** An evaluator's score of one attempt in the attempts table, beside the attempt and the run's feedback. */
  score(
    tenantId: string,
    runId: string,
    stepId: string,
    attempt: number,
    evaluator: string,
    iteration?: Iteration,
  ): ItemKey {
    return {
      pk: tableKeys.attemptPartition(tenantId, runId),
      sk: `${SCORE_SORT_PREFIX}${stepInIteration(stepId, iteration)}#ATTEMPT#${padded(attempt)}#${evaluator}`,
    };
  },
  /** The registry record of one prompt pack version of a step, in the runs table. */
  promptPackVersion(tenantId: string, pipeline: string, stepId: string, version: string): ItemKey {
    return { pk: tenantPartition(tenantId), sk: `PROMPTPACK#${pipeline}#${stepId}#${version}` };
  },
  /** The item naming a step's active prompt pack (and canary), in the runs table. */
  promptPackPointer(tenantId: string, pipeline: string, stepId: string): ItemKey {
    return { pk: tenantPartition(tenantId), sk: `PROMPTACTIVE#${pipeline}#${stepId}` };
  },
  /** An API key's metadata under its tenant in the API keys table. */
  apiKey(tenantId: string, keyId: string): ItemKey {
    return { pk: tenantPartition(tenantId), sk: `${API_KEY_SORT_PREFIX}${keyId}` };
  },
  /** The lookup item of an API key by the hex SHA-256 of the key. */
  apiKeyHash(keyHash: string): ItemKey {
    return { pk: `APIKEYHASH#${keyHash}`, sk: 'APIKEY' };
  },
} as const;

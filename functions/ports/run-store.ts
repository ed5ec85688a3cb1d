import type { AttemptRecords } from './attempts.js';
import type { FeedbackRecords } from './feedback.js';
import type { IdempotencyKeys } from './idempotency.js';
import type { PipelineRegistry } from './registered-pipelines.js';
import type { RunRecords } from './runs.js';
import type { ScoreRecords } from './scores.js';

/**
 * Run records, attempt metrics, idempotency keys, feedback, scores and registered pipelines, in one
 * store (DynamoDB in the cloud and on the local stack): the roles one adapter implements together.
 * Keys are led by the tenant, so IAM `dynamodb:LeadingKeys` can fence each tenant in. Every write is a
 * single item: dynalite has no transactions. Code that uses the store asks for just the roles it needs;
 * only the composition roots that build an adapter hold the whole store.
 *
 * @example
 * const store: RunStore = new DynamoRunStore(db, tableNames('elexirion-acme'));
 */
export interface RunStore
  extends RunRecords,
    AttemptRecords,
    IdempotencyKeys,
    FeedbackRecords,
    ScoreRecords,
    PipelineRegistry {}

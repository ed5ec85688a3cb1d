import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  paginateQuery,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Iteration } from '../../pipelines/contract/step-event.js';
import type { AttemptRecord } from '../ports/attempts.js';
import type { FeedbackRecord } from '../ports/feedback.js';
import type { IdempotencyClaim, IdempotencyRecord } from '../ports/idempotency.js';
import type { PipelineRecord } from '../ports/registered-pipelines.js';
import type { RunStore } from '../ports/run-store.js';
import type { RunPage, RunQuery, RunRecord, RunVersion } from '../ports/runs.js';
import type { ScoreRecord } from '../ports/scores.js';
import { isConditionFailure, stripKey } from './dynamo-items.js';
import {
  EXPIRES_AT_ATTRIBUTE,
  FEEDBACK_SORT_PREFIX,
  type ItemKey,
  PIPELINE_SORT_PREFIX,
  RUN_SORT_PREFIX,
  type RunTableNames,
  SCORE_SORT_PREFIX,
  STEP_SORT_PREFIX,
  tableKeys,
  tenantPartition,
} from './table-definitions.js';

/** The counter item's attribute holding the last attempt number handed out. */
const COUNTER_ATTRIBUTE = 'lastAttempt';

/** Items read per Query page while filtering runs: filters apply after DynamoDB's page limit. */
const FILTERED_PAGE_SIZE = 100;

/**
 * Runs, attempts, idempotency records, feedback, scores and registered pipelines in the two DynamoDB tables
 * of `table-definitions.ts`. Only single-item writes: dynalite, the local stack's DynamoDB, has no
 * transactions (architect/dynalite#98); races are settled with condition expressions. The document
 * client must be built with `marshallOptions.removeUndefinedValues`, since records omit optional fields
 * by leaving them `undefined`.
 *
 * @example
 * const store = new DynamoRunStore(DynamoDBDocumentClient.from(new DynamoDBClient({}), {
 *   marshallOptions: { removeUndefinedValues: true },
 * }), tableNames('elexirion-acme'));
 */
export class DynamoRunStore implements RunStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: RunTableNames,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async putRun(run: RunRecord): Promise<void> {
    const key = tableKeys.run(run.tenantId, run.runId);
    await this.db.send(new PutCommand({ TableName: this.tables.runs, Item: { ...run, ...key } }));
  }

  async replaceRun(run: RunRecord, expected: RunVersion): Promise<boolean> {
    const key = tableKeys.run(run.tenantId, run.runId);
    // A run that was never redriven has no redriveCount attribute.
    const redrive =
      expected.redriveCount === 0
        ? '(attribute_not_exists(#redrive) OR #redrive = :redrive)'
        : '#redrive = :redrive';
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tables.runs,
          Item: { ...run, ...key },
          ConditionExpression: `#status = :status AND ${redrive}`,
          ExpressionAttributeNames: { '#status': 'status', '#redrive': 'redriveCount' },
          ExpressionAttributeValues: { ':status': expected.status, ':redrive': expected.redriveCount },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getRun(tenantId: string, runId: string): Promise<RunRecord | undefined> {
    return this.get<RunRecord>(this.tables.runs, tableKeys.run(tenantId, runId));
  }

  async listRuns(tenantId: string, query: RunQuery): Promise<RunPage> {
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':pk': tenantPartition(tenantId),
      ':low': RUN_SORT_PREFIX,
      // BETWEEN is inclusive, so the `after` run itself comes back and is skipped below.
      ':high':
        query.after === undefined ? `${RUN_SORT_PREFIX}\uffff` : tableKeys.run(tenantId, query.after).sk,
    };
    if (query.pipeline !== undefined) {
      filters.push('#pipeline = :pipeline');
      names['#pipeline'] = 'pipeline';
      values[':pipeline'] = query.pipeline;
    }
    if (query.status !== undefined) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    const items = await this.query(
      {
        TableName: this.tables.runs,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
        ...(filters.length
          ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: filters.length ? FILTERED_PAGE_SIZE : query.limit + 2,
      },
      query.limit + 2,
    );
    const matching = (items as RunRecord[]).filter((run) => run.runId !== query.after);
    const runs = matching.slice(0, query.limit);
    const last = runs.at(-1);
    return matching.length > query.limit && last ? { runs, next: last.runId } : { runs };
  }

  async nextAttempt(tenantId: string, runId: string, stepId: string, iteration?: Iteration): Promise<number> {
    const reply = await this.db.send(
      new UpdateCommand({
        TableName: this.tables.attempts,
        Key: tableKeys.attemptCounter(tenantId, runId, stepId, iteration),
        UpdateExpression: 'ADD #counter :one',
        ExpressionAttributeNames: { '#counter': COUNTER_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const attempt = reply.Attributes?.[COUNTER_ATTRIBUTE];
    if (typeof attempt !== 'number') {
      throw new Error(`UpdateItem returned no ${COUNTER_ATTRIBUTE} for step ${stepId} of run ${runId}`);
    }
    return attempt;
  }

  async putAttempt(attempt: AttemptRecord): Promise<void> {
    const { tenantId, runId, stepId, iteration } = attempt;
    const key = tableKeys.attempt(tenantId, runId, stepId, attempt.attempt, iteration);
    await this.db.send(new PutCommand({ TableName: this.tables.attempts, Item: { ...attempt, ...key } }));
  }

  async listAttempts(tenantId: string, runId: string): Promise<AttemptRecord[]> {
    const items = await this.query({
      TableName: this.tables.attempts,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      // Counter items share the partition; only attempt records carry `attempt`.
      FilterExpression: 'attribute_exists(#attempt)',
      ExpressionAttributeNames: { '#attempt': 'attempt' },
      ExpressionAttributeValues: {
        ':pk': tableKeys.attemptPartition(tenantId, runId),
        ':prefix': STEP_SORT_PREFIX,
      },
    });
    return items as AttemptRecord[];
  }

  async claimIdempotencyKey(record: IdempotencyRecord): Promise<IdempotencyClaim> {
    const key = tableKeys.idempotency(record.tenantId, record.pipeline, record.key);
    const now = Math.floor(this.now().getTime() / 1000);
    // TTL deletes expired items lazily (within days), so an expired record counts as absent.
    const existing = await this.putClaim(record, key, {
      ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt <= :now',
      ExpressionAttributeNames: { '#expiresAt': EXPIRES_AT_ATTRIBUTE },
      ExpressionAttributeValues: { ':now': now },
    });
    if (existing === undefined) return { claimed: true, record };
    if (
      existing.status !== 'IN_PROGRESS' ||
      existing.inProgressExpiry === undefined ||
      existing.inProgressExpiry > now ||
      (await this.getRun(existing.tenantId, existing.runId)) !== undefined
    ) {
      return { claimed: false, record: existing };
    }
    // The claim's request died before recording its run: take the record over, unless another
    // claim took it over first (the condition is on the record we read).
    const winner = await this.putClaim(record, key, {
      ConditionExpression: '#runId = :runId AND #status = :inProgress AND #inProgressExpiry = :expiry',
      ExpressionAttributeNames: {
        '#runId': 'runId',
        '#status': 'status',
        '#inProgressExpiry': 'inProgressExpiry',
      },
      ExpressionAttributeValues: {
        ':runId': existing.runId,
        ':inProgress': 'IN_PROGRESS',
        ':expiry': existing.inProgressExpiry,
      },
    });
    return winner === undefined ? { claimed: true, record } : { claimed: false, record: winner };
  }

  /**
   * Puts a claim under a condition: undefined when it was stored, the record that holds the key
   * otherwise. DynamoDB returns that record with the refusal (`ALL_OLD`); dynalite does not, so
   * without it the record is read.
   */
  private async putClaim(
    record: IdempotencyRecord,
    key: ItemKey,
    condition: Pick<
      PutCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<IdempotencyRecord | undefined> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tables.runs,
          Item: { ...record, ...key },
          ...condition,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as { Item?: Record<string, AttributeValue> }).Item;
      const existing =
        old === undefined
          ? await this.get<IdempotencyRecord>(this.tables.runs, key)
          : (stripKey(unmarshall(old)) as unknown as IdempotencyRecord);
      if (existing === undefined) {
        throw new Error(`idempotency record ${key.sk} of tenant ${record.tenantId} vanished while claimed`);
      }
      return existing;
    }
  }

  async completeIdempotencyKey(record: IdempotencyRecord): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.runs,
          Key: tableKeys.idempotency(record.tenantId, record.pipeline, record.key),
          UpdateExpression: 'SET #status = :completed REMOVE #inProgressExpiry',
          ConditionExpression: '#runId = :runId',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#inProgressExpiry': 'inProgressExpiry',
            '#runId': 'runId',
          },
          ExpressionAttributeValues: { ':completed': 'COMPLETED', ':runId': record.runId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async releaseIdempotencyKey(record: IdempotencyRecord): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tables.runs,
          Key: tableKeys.idempotency(record.tenantId, record.pipeline, record.key),
          ConditionExpression: '#runId = :runId',
          ExpressionAttributeNames: { '#runId': 'runId' },
          ExpressionAttributeValues: { ':runId': record.runId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async putFeedback(feedback: FeedbackRecord): Promise<void> {
    const key = tableKeys.feedback(
      feedback.tenantId,
      feedback.runId,
      feedback.createdAt,
      feedback.feedbackId,
    );
    await this.db.send(new PutCommand({ TableName: this.tables.attempts, Item: { ...feedback, ...key } }));
  }

  async listFeedback(tenantId: string, runId: string): Promise<FeedbackRecord[]> {
    const items = await this.query({
      TableName: this.tables.attempts,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': tableKeys.attemptPartition(tenantId, runId),
        ':prefix': FEEDBACK_SORT_PREFIX,
      },
    });
    return items as FeedbackRecord[];
  }

  async putScore(score: ScoreRecord): Promise<void> {
    const { tenantId, runId, stepId, attempt, evaluator, iteration } = score;
    const key = tableKeys.score(tenantId, runId, stepId, attempt, evaluator, iteration);
    await this.db.send(new PutCommand({ TableName: this.tables.attempts, Item: { ...score, ...key } }));
  }

  async listScores(tenantId: string, runId: string): Promise<ScoreRecord[]> {
    const items = await this.query({
      TableName: this.tables.attempts,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': tableKeys.attemptPartition(tenantId, runId),
        ':prefix': SCORE_SORT_PREFIX,
      },
    });
    return items as ScoreRecord[];
  }

  async putPipeline(pipeline: PipelineRecord): Promise<void> {
    const key = tableKeys.pipeline(pipeline.tenantId, pipeline.name);
    await this.db.send(new PutCommand({ TableName: this.tables.runs, Item: { ...pipeline, ...key } }));
  }

  async getPipeline(tenantId: string, name: string): Promise<PipelineRecord | undefined> {
    return this.get<PipelineRecord>(this.tables.runs, tableKeys.pipeline(tenantId, name));
  }

  async listPipelines(tenantId: string): Promise<PipelineRecord[]> {
    const items = await this.query({
      TableName: this.tables.runs,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': PIPELINE_SORT_PREFIX },
    });
    return items as PipelineRecord[];
  }

  /** A consistent read of one item, without its keys. */
  private async get<T>(TableName: string, Key: ItemKey): Promise<T | undefined> {
    const reply = await this.db.send(new GetCommand({ TableName, Key: { ...Key }, ConsistentRead: true }));
    return reply.Item === undefined ? undefined : (stripKey(reply.Item) as T);
  }

  /** Runs a Query across pages, up to `limit` items, returning them without their keys. */
  private async query(input: QueryCommandInput, limit = Number.POSITIVE_INFINITY): Promise<object[]> {
    const items: object[] = [];
    for await (const page of paginateQuery({ client: this.db }, input)) {
      for (const item of page.Items ?? []) {
        items.push(stripKey(item));
        if (items.length === limit) return items;
      }
    }
    return items;
  }
}

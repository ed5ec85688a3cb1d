import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AttemptRecord, RunRecord, RunStore } from '../ports/run-store.js';
import {
  type ItemKey,
  RUN_SORT_PREFIX,
  STEP_SORT_PREFIX,
  type TableNames,
  tableKeys,
  tenantPartition,
} from './table-definitions.js';

/** The counter item's attribute holding the last attempt number handed out. */
const COUNTER_ATTRIBUTE = 'lastAttempt';

/**
 * Runs and attempts in the two DynamoDB tables of `table-definitions.ts`. Only single-item writes:
 * dynalite, the local stack's DynamoDB, has no transactions (architect/dynalite#98). The document
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
    private readonly tables: TableNames,
  ) {}

  async putRun(run: RunRecord): Promise<void> {
    const key = tableKeys.run(run.tenantId, run.runId);
    await this.db.send(new PutCommand({ TableName: this.tables.runs, Item: { ...run, ...key } }));
  }

  async getRun(tenantId: string, runId: string): Promise<RunRecord | undefined> {
    const reply = await this.db.send(
      new GetCommand({
        TableName: this.tables.runs,
        Key: tableKeys.run(tenantId, runId),
        ConsistentRead: true,
      }),
    );
    return reply.Item === undefined ? undefined : (stripKey(reply.Item) as unknown as RunRecord);
  }

  async listRuns(tenantId: string, limit: number): Promise<RunRecord[]> {
    const items = await this.query(
      {
        TableName: this.tables.runs,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': RUN_SORT_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
      },
      limit,
    );
    return items as unknown as RunRecord[];
  }

  async nextAttempt(tenantId: string, runId: string, stepId: string): Promise<number> {
    const reply = await this.db.send(
      new UpdateCommand({
        TableName: this.tables.attempts,
        Key: tableKeys.attemptCounter(tenantId, runId, stepId),
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
    const key = tableKeys.attempt(attempt.tenantId, attempt.runId, attempt.stepId, attempt.attempt);
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
    return items as unknown as AttemptRecord[];
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

/** Drops the table's key attributes, leaving the record as it was put. */
function stripKey(item: Record<string, unknown>): Omit<Record<string, unknown>, keyof ItemKey> {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record;
}

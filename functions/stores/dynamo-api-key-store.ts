import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, ApiKeyStore } from '../ports/api-key-store.js';
import { stripKey } from './dynamo-items.js';
import { API_KEY_SORT_PREFIX, tableKeys, tenantPartition } from './table-definitions.js';

/**
 * API keys in the `apiKeys` table of `table-definitions.ts`, each as two single-item writes: the
 * tenant item first and the hash item second, and deleted in the opposite order, so a key that
 * authenticates always has a tenant item to list and revoke it by.
 *
 * @example
 * const keys = new DynamoApiKeyStore(documentClient, tableNames('elexirion-acme').apiKeys);
 */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putKey(record: ApiKeyRecord): Promise<void> {
    const byTenant = tableKeys.apiKey(record.tenantId, record.keyId);
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...record, ...byTenant } }));
    const byHash = tableKeys.apiKeyHash(record.keyHash);
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...record, ...byHash } }));
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const reply = await this.db.send(
      new GetCommand({ TableName: this.table, Key: tableKeys.apiKeyHash(keyHash), ConsistentRead: true }),
    );
    return reply.Item === undefined ? undefined : (stripKey(reply.Item) as unknown as ApiKeyRecord);
  }

  async listKeys(tenantId: string): Promise<ApiKeyRecord[]> {
    const records: ApiKeyRecord[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': API_KEY_SORT_PREFIX },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) records.push(stripKey(item) as unknown as ApiKeyRecord);
    }
    return records;
  }

  async deleteKey(tenantId: string, keyId: string): Promise<void> {
    const byTenant = tableKeys.apiKey(tenantId, keyId);
    const reply = await this.db.send(
      new GetCommand({ TableName: this.table, Key: byTenant, ConsistentRead: true }),
    );
    const keyHash = reply.Item?.keyHash;
    if (typeof keyHash !== 'string') return;
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: tableKeys.apiKeyHash(keyHash) }));
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: byTenant }));
  }
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { IdempotencyRecord } from '../../../../functions/ports/idempotency.js';
import { DynamoRunStore } from '../../../../functions/stores/dynamo-run-store.js';
import { tableKeys } from '../../../../functions/stores/table-definitions.js';

const held: IdempotencyRecord = {
  tenantId: 'acme',
  pipeline: 'chain',
  key: 'k-1',
  runId: 'r-1',
  requestHash: 'h',
  createdAt: '2026-11-02T10:00:00.000Z',
  expiresAt: 4_000_000_000,
  status: 'COMPLETED',
};

describe('DynamoRunStore.claimIdempotencyKey', () => {
  it('reads the record holding the key from the refusal (ALL_OLD), in one round trip', async () => {
    // Prepare: a client whose PutItem is refused with the holder, as DynamoDB answers it
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const db = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
          Item: marshall({ ...held, ...tableKeys.idempotency('acme', 'chain', 'k-1') }),
        });
      },
    } as unknown as DynamoDBDocumentClient;
    const store = new DynamoRunStore(db, { runs: 'runs', attempts: 'attempts' });

    // Act
    const claim = await store.claimIdempotencyKey({ ...held, runId: 'r-2', status: 'IN_PROGRESS' });

    // Assess
    expect(claim).toStrictEqual({ claimed: false, record: held });
    expect(sent.map((command) => command.name)).toEqual(['PutCommand']);
    expect(sent[0]?.input).toMatchObject({ ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  });
});

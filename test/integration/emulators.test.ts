import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_BUCKET, localTableNames, startLocalStack } from '../../local/emulators.js';

describe('startLocalStack', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'elexirion-stack-'));
  });

  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps objects and items in the data directory across restarts', async () => {
    // GIVEN a stack that wrote an object and an item through the real SDK clients, then stopped
    const first = await startLocalStack({ dataDir });
    await first.clients.s3.send(
      new PutObjectCommand({ Bucket: first.bucket, Key: 'tenants/local/a.json', Body: '{"hello":"wörld"}' }),
    );
    await first.clients.dynamo.send(
      new PutCommand({ TableName: first.tables.runs, Item: { pk: 'TENANT#local', sk: 'RUN#r1', n: 1 } }),
    );
    await first.stop();
    await first.stop();

    // WHEN a new stack starts on the same directory
    const second = await startLocalStack({ dataDir });
    try {
      const object = await second.clients.s3.send(
        new GetObjectCommand({ Bucket: second.bucket, Key: 'tenants/local/a.json' }),
      );
      const item = await second.clients.dynamo.send(
        new GetCommand({ TableName: second.tables.runs, Key: { pk: 'TENANT#local', sk: 'RUN#r1' } }),
      );

      // THEN both are still there, in the same bucket and tables
      expect(await object.Body?.transformToString()).toBe('{"hello":"wörld"}');
      expect(item.Item).toEqual({ pk: 'TENANT#local', sk: 'RUN#r1', n: 1 });
      expect(second.bucket).toBe(LOCAL_BUCKET);
      expect(second.tables).toEqual(localTableNames);
    } finally {
      await second.stop();
    }
  });

  it('refuses a data directory another stack is using, saying so', async () => {
    // GIVEN a running stack
    const running = await startLocalStack({ dataDir });
    try {
      // WHEN a second one starts on the same directory
      const second = startLocalStack({ dataDir });

      // THEN it fails with a message that names the directory
      await expect(second).rejects.toThrow(`Another elexirion process is using ${dataDir}`);
    } finally {
      await running.stop();
    }
  });
});

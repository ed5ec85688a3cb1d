import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { DynamoPromptPackStore } from '../../functions/stores/dynamo-prompt-pack-store.js';
import { S3ArtifactStore } from '../../functions/stores/s3-artifact-store.js';
import { tableKeys } from '../../functions/stores/table-definitions.js';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { describePromptPackStore } from '../contracts/prompt-pack-store.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});

afterAll(() => stack?.stop());

describePromptPackStore({
  async create(seed) {
    const artifacts = new S3ArtifactStore(stack.clients.s3, stack.bucket);
    if (seed) {
      // The item as the optimizer's job.py writes it: the pointer's fields and who it belongs to.
      const { tenantId, pipeline, stepId } = seed;
      const Item = { ...seed.pointer, tenantId, pipeline, stepId, updatedAt: '2026-11-26T00:00:00.000Z' };
      const Key = tableKeys.promptPackPointer(tenantId, pipeline, stepId);
      await stack.clients.dynamo.send(
        new PutCommand({ TableName: stack.tables.runs, Item: { ...Item, ...Key } }),
      );
      for (const [key, pack] of Object.entries(seed.packs)) await artifacts.putJson(key, pack);
    }
    return new DynamoPromptPackStore(stack.clients.dynamo, stack.tables.runs, artifacts);
  },
});

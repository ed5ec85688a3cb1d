import { afterAll, beforeAll } from 'vitest';
import { DynamoApiKeyStore } from '../../functions/stores/dynamo-api-key-store.js';
import { DynamoRunStore } from '../../functions/stores/dynamo-run-store.js';
import { S3ArtifactStore } from '../../functions/stores/s3-artifact-store.js';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { describeApiKeyStore } from '../contracts/api-key-store.js';
import { describeArtifactStore } from '../contracts/artifact-store.js';
import { describeRunStore } from '../contracts/run-store.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});

afterAll(() => stack?.stop());

describeArtifactStore({ create: () => new S3ArtifactStore(stack.clients.s3, stack.bucket) });
describeRunStore({ create: () => new DynamoRunStore(stack.clients.dynamo, stack.tables) });
describeApiKeyStore({ create: () => new DynamoApiKeyStore(stack.clients.dynamo, stack.tables.apiKeys) });

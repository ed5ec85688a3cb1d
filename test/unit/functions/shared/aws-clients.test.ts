import { readFileSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AWS_CONNECTION_TIMEOUT_MS,
  AWS_REQUEST_TIMEOUT_MS,
  awsRequestHandler,
  awsRequestHandlerOptions,
} from '../../../../functions/shared/aws-clients.js';
import { type SilentTcpServer, startSilentTcpServer } from '../../../support/silent-tcp-server.js';

const CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  maxAttempts: 1,
};

/** Settles with the outcome of `call`, or fails the test after `ms` so it never waits longer. */
async function within<T>(ms: number, call: Promise<T>): Promise<{ error?: unknown; elapsedMs: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([call, deadline]);
    return { elapsedMs: Date.now() - started };
  } catch (error) {
    return { error, elapsedMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

describe('awsRequestHandler', () => {
  let server: SilentTcpServer;
  beforeEach(async () => {
    server = await startSilentTcpServer();
  });
  afterEach(() => server.close());

  /** A DynamoDB and an S3 client on the helper's handler (a short request timeout), each with one call. */
  const calls = {
    DynamoDB: () => {
      const client = new DynamoDBClient({
        ...CONFIG,
        endpoint: server.url,
        requestHandler: awsRequestHandler({ requestTimeout: 300 }),
      });
      return { client, call: () => client.send(new ListTablesCommand({})) };
    },
    S3: () => {
      const client = new S3Client({
        ...CONFIG,
        endpoint: server.url,
        forcePathStyle: true,
        requestHandler: awsRequestHandler({ requestTimeout: 300 }),
      });
      return { client, call: () => client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })) };
    },
  } as const;

  it.each(Object.keys(calls) as (keyof typeof calls)[])(
    'fails a %s call to an endpoint that accepts and never answers with a TimeoutError',
    async (name) => {
      // Prepare
      const { client, call } = calls[name]();

      // Act
      const outcome = await within(5_000, call());
      client.destroy();

      // Assess: the connection was made, and the call gave up on its response after the request timeout
      expect(server.connections()).toBeGreaterThan(0);
      expect(outcome.error).toMatchObject({ name: 'TimeoutError' });
      expect(outcome.elapsedMs).toBeGreaterThanOrEqual(250);
      expect(outcome.elapsedMs).toBeLessThan(5_000);
    },
  );

  it('defaults to a 3 s connection and a 30 s request timeout', () => {
    // Act
    const config = awsRequestHandlerOptions();

    // Assess
    expect([AWS_CONNECTION_TIMEOUT_MS, AWS_REQUEST_TIMEOUT_MS]).toEqual([3_000, 30_000]);
    expect(config).toMatchObject({
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
      throwOnRequestTimeout: true,
    });
  });

  it('is the request handler of every SDK client the runtime and the local stack build', () => {
    // Prepare: each file that constructs SDK clients, and how many it constructs
    const sites = {
      'functions/step-runner/create-deps.ts': 2,
      'functions/control/create-control-deps.ts': 4,
      'functions/handlers/authorizer.ts': 1,
      'local/emulator-clients.ts': 2,
    };

    // Act + Assess: as many handlers from the helper as clients
    for (const [file, clients] of Object.entries(sites)) {
      const source = readFileSync(file, 'utf8');
      const constructed = source.match(/new [A-Za-z0-9]+Client\(/g) ?? [];
      expect(constructed, file).toHaveLength(clients);
      const handled = source.match(/requestHandler: (awsRequestHandler|requestHandler)\(/g) ?? [];
      expect(handled, file).toHaveLength(clients);
    }
    expect(readFileSync('functions/providers/provider-keys.ts', 'utf8')).toContain(
      'clientConfig: { requestHandler: awsRequestHandler() }',
    );
  });
});

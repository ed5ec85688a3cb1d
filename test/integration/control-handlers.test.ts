import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyRecord } from '../../functions/api/api-keys.js';
import { artifactKeys } from '../../functions/shared/artifact-keys.js';
import { DynamoApiKeyStore } from '../../functions/stores/dynamo-api-key-store.js';
import { DynamoRunStore } from '../../functions/stores/dynamo-run-store.js';
import { S3ArtifactStore } from '../../functions/stores/s3-artifact-store.js';
import { readManifest } from '../../functions/workspaces/manifest.js';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { buildPipelineFile } from '../../statemachines/build.js';
import { type FakeAwsJsonServer, startFakeAwsJsonServer } from '../support/fake-aws-json-server.js';
import { tarGz, zip } from '../unit/functions/workspaces/archive-builders.js';

// The three control-plane Lambda handlers, as the CDK stack deploys them: configured from the
// environment, with real SDK clients pointed at the local stack (S3, DynamoDB) and at loopback
// fakes of Step Functions and EventBridge.

const KEY = 'key-of-acme-0123456789';
const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';
const DEPLOYED_MACHINE = `${ACCOUNT}:stateMachine:elexirion-acme-chain`;
const STEP_RUNNER = 'arn:aws:lambda:us-east-1:123456789012:function:step-runner';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

let stack: LocalStack;
let sfn: FakeAwsJsonServer;
let eventBridge: FakeAwsJsonServer;
let handlers: { api: Handler; trigger: Handler; executionEvents: Handler };

const context = {
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
  memoryLimitInMB: '512',
  awsRequestId: 'request-1',
  logGroupName: 'test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
};

/** What a test sends the API: a text body, or bytes that API Gateway passes base64-encoded. */
interface ApiRequest {
  readonly body?: string | Buffer;
  readonly contentType?: string;
}

/**
 * An API Gateway REST proxy event, as the RunApi construct's proxy integration sends it: a body of
 * one of its binary media types arrives base64-encoded.
 */
function restEvent(method: string, path: string, options: ApiRequest = {}) {
  const headers = {
    Authorization: `Bearer ${KEY}`,
    ...(options.contentType ? { 'Content-Type': options.contentType } : {}),
  };
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      httpMethod: method,
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'request-1',
      resourceId: 'proxy',
      resourcePath: '/{proxy+}',
      identity: { sourceIp: '127.0.0.1' },
      authorizer: { tenantId: 'acme' },
    },
    body: Buffer.isBuffer(options.body) ? options.body.toString('base64') : (options.body ?? null),
    isBase64Encoded: Buffer.isBuffer(options.body),
  };
}

async function callApi(method: string, path: string, options: ApiRequest = {}) {
  const reply = (await handlers.api(restEvent(method, path, options), context)) as {
    statusCode: number;
    body: string;
  };
  return { status: reply.statusCode, body: JSON.parse(reply.body) };
}

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
  sfn = await startFakeAwsJsonServer({
    StartExecution: (input) => ({
      executionArn: `${String(input.stateMachineArn).replace(':stateMachine:', ':execution:')}:${input.name}`,
      startDate: 0,
    }),
    CreateStateMachine: (input) => ({
      stateMachineArn: `${ACCOUNT}:stateMachine:${input.name}`,
      creationDate: 0,
    }),
  });
  eventBridge = await startFakeAwsJsonServer({
    PutEvents: () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] }),
  });

  const build = await buildPipelineFile('pipelines/examples/chain.yaml');
  if (!build.ok) throw new Error('chain.yaml does not build');
  const bundleKey = artifactKeys.specBundle('acme', 'chain', build.bundle.hash);
  await new S3ArtifactStore(stack.clients.s3, stack.bucket).putJson(bundleKey, build.bundle);
  await new DynamoApiKeyStore(stack.clients.dynamo, stack.tables.apiKeys).putKey(
    apiKeyRecord('acme', KEY, { createdAt: new Date().toISOString() }),
  );

  Object.assign(process.env, {
    TENANT_ID: 'acme',
    ARTIFACT_BUCKET: stack.bucket,
    RUNS_TABLE: stack.tables.runs,
    ATTEMPTS_TABLE: stack.tables.attempts,
    API_KEYS_TABLE: stack.tables.apiKeys,
    EVENT_BUS_NAME: 'elexirion-acme',
    STEP_RUNNER_ARN: STEP_RUNNER,
    STATE_MACHINE_ROLE_ARN: 'arn:aws:iam::123456789012:role/elexirion-acme-machines',
    DEPLOYED_PIPELINES: JSON.stringify({ chain: { stateMachine: DEPLOYED_MACHINE, bundleKey } }),
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: stack.s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
    AWS_ENDPOINT_URL_SFN: sfn.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  handlers = {
    api: (await import('../../functions/handlers/api.js')).handler as unknown as Handler,
    trigger: (await import('../../functions/handlers/trigger.js')).handler as unknown as Handler,
    executionEvents: (await import('../../functions/handlers/execution-events.js'))
      .handler as unknown as Handler,
  };
});

afterAll(async () => {
  await sfn?.stop();
  await eventBridge?.stop();
  await stack?.stop();
});

/** What EventBridge puts around every event's detail. */
const ENVELOPE = {
  version: '0',
  account: '123456789012',
  time: '2026-12-04T10:00:00Z',
  region: 'us-east-1',
  resources: [],
};

describe('the control-plane Lambda handlers', () => {
  it('start a deployed pipeline through the API, and close the run from its status change event', async () => {
    // Act: start
    const started = await callApi('POST', '/v1/pipelines/chain/runs', {
      body: JSON.stringify({ input: { topic: 'tides' } }),
      contentType: 'application/json',
    });
    const { runId } = started.body as { runId: string };
    const start = sfn.calls.find((call) => call.operation === 'StartExecution' && call.input.name === runId);

    // Act: the execution ends
    const closed = await handlers.executionEvents(
      {
        ...ENVELOPE,
        id: 'evt-status-1',
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        resources: [`${ACCOUNT}:execution:elexirion-acme-chain:${runId}`],
        detail: {
          executionArn: `${ACCOUNT}:execution:elexirion-acme-chain:${runId}`,
          stateMachineArn: DEPLOYED_MACHINE,
          name: runId,
          status: 'SUCCEEDED',
          input: start?.input.input,
        },
      },
      context,
    );
    const read = await callApi('GET', `/v1/runs/${runId}`);

    // Assess
    expect(started.status).toBe(201);
    expect(start?.input.stateMachineArn).toBe(DEPLOYED_MACHINE);
    expect(JSON.parse(String(start?.input.input))).toMatchObject({
      run: { tenantId: 'acme', runId },
      inputs: { topic: 'tides' },
    });
    expect(closed).toBe('SUCCEEDED');
    expect(read.body).toMatchObject({ runId, status: 'SUCCEEDED' });
    expect(
      eventBridge.calls.map((call) => (call.input.Entries as { DetailType: string }[])[0]?.DetailType),
    ).toContain('PipelineRunCompleted');
  });

  it('start one run for a PipelineRequested event delivered twice', async () => {
    // Prepare
    const event = {
      ...ENVELOPE,
      id: 'evt-42',
      source: 'billing',
      'detail-type': 'PipelineRequested',
      detail: { pipeline: 'chain' },
    };
    const before = sfn.calls.filter((call) => call.operation === 'StartExecution').length;

    // Act
    const outcomes = [await handlers.trigger(event, context), await handlers.trigger(event, context)];

    // Assess
    expect(outcomes).toEqual(['started', 'started']);
    expect(sfn.calls.filter((call) => call.operation === 'StartExecution')).toHaveLength(before + 1);
    const { runs } = await new DynamoRunStore(stack.clients.dynamo, stack.tables).listRuns('acme', {
      limit: 10,
    });
    expect(runs).toHaveLength(2);
  });

  it('register a pipeline through the API as a new state machine with the step runner filled in', async () => {
    // Prepare
    const yaml = (await readFile('pipelines/examples/chain.yaml', 'utf8')).replace(
      'name: chain',
      'name: my_chain',
    );

    // Act
    const registered = await callApi('PUT', '/v1/pipelines/my_chain', {
      body: yaml,
      contentType: 'application/yaml',
    });

    // Assess
    expect(registered).toMatchObject({ status: 201, body: { name: 'my_chain', created: true } });
    const create = sfn.calls.find((call) => call.operation === 'CreateStateMachine');
    expect(create?.input).toMatchObject({
      name: 'elexirion-acme_api_my_chain',
      roleArn: 'arn:aws:iam::123456789012:role/elexirion-acme-machines',
      type: 'STANDARD',
    });
    expect(String(create?.input.definition)).toContain(STEP_RUNNER);
    expect(String(create?.input.definition)).not.toContain('${');
  });

  it('store a zip uploaded base64-encoded through API Gateway as a workspace, and start a run on it', async () => {
    // Prepare
    const archive = await zip([
      { name: 'README.md', content: '# median\n' },
      { name: 'src/median.js', content: 'export const median = (xs) => xs[0];\n' },
    ]);

    // Act
    const uploaded = await callApi('POST', '/v1/workspaces', {
      body: archive,
      contentType: 'application/zip',
    });
    const { workspaceId } = uploaded.body as { workspaceId: string };
    const started = await callApi('POST', '/v1/pipelines/chain/runs', {
      body: JSON.stringify({ workspaceId }),
      contentType: 'application/json',
    });
    const { runId } = started.body as { runId: string };

    // Assess
    expect(uploaded).toMatchObject({ status: 201, body: { files: 2, skipped: [] } });
    const manifest = await readManifest(
      new S3ArtifactStore(stack.clients.s3, stack.bucket),
      'acme',
      workspaceId,
    );
    expect(manifest.files.map((file) => file.path)).toEqual(['README.md', 'src/median.js']);
    expect(started.status).toBe(201);
    const start = sfn.calls.find((call) => call.operation === 'StartExecution' && call.input.name === runId);
    expect(JSON.parse(String(start?.input.input))).toMatchObject({ run: { runId, workspaceId } });
  });

  it('start a run on the archive an inbox request names, read from S3 as bytes', async () => {
    // Prepare
    const archive = await tarGz([
      { name: 'repo/README.md', content: '# inbox\n' },
      { name: 'repo/src/a.js', content: 'a\n' },
    ]);
    const inbox = artifactKeys.inbox('acme');
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.bucket, Key: `${inbox}repo.tar.gz`, Body: archive }),
    );
    const request = Buffer.from(JSON.stringify({ pipeline: 'chain', archive: 'repo.tar.gz' }));
    const put = await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.bucket, Key: `${inbox}inbox-req.json`, Body: request }),
    );
    const event = {
      ...ENVELOPE,
      id: 'evt-s3-1',
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: {
        version: '0',
        bucket: { name: stack.bucket },
        object: { key: `${inbox}inbox-req.json`, size: request.byteLength, etag: put.ETag },
        'request-id': 'request-1',
        requester: '123456789012',
        reason: 'PutObject',
      },
    };

    // Act
    const outcome = await handlers.trigger(event, context);

    // Assess
    expect(outcome).toBe('started');
    const { runs } = await new DynamoRunStore(stack.clients.dynamo, stack.tables).listRuns('acme', {
      limit: 1,
    });
    const workspaceId = runs[0]?.workspaceId ?? '';
    const artifacts = new S3ArtifactStore(stack.clients.s3, stack.bucket);
    const manifest = await readManifest(artifacts, 'acme', workspaceId);
    expect(manifest.files.map((file) => file.path)).toEqual(['README.md', 'src/a.js']);
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsRequestHandler } from '../functions/shared/aws-clients.js';

/** SDK clients pointed at the local emulators. */
export interface EmulatorClients {
  readonly s3: S3Client;
  /** Document client over `dynamoRaw`, dropping `undefined` fields as the stores expect. */
  readonly dynamo: DynamoDBDocumentClient;
  readonly dynamoRaw: DynamoDBClient;
}

const REGION = 'us-east-1';
// The emulators accept any key; static ones keep the SDK from searching for real credentials.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
// `elexirion dev` runs hundreds of executions at once. The SDK's 50 sockets per client then queue
// their calls, which suits the single-threaded emulators (more sockets made them stall under load);
// the SDK's warning about the queue is noise here. The connection timeout is the cloud's; the request
// timeout counts from the call, queueing included, so it is longer than the cloud's under that load.
const requestHandler = () =>
  awsRequestHandler({ requestTimeout: 120_000, socketAcquisitionWarningTimeout: 600_000 });

/** Builds the real SDK clients for loopback endpoints; the code under test cannot tell the difference. */
export function createEmulatorClients(endpoints: { s3: string; dynamo: string }): EmulatorClients {
  const s3 = new S3Client({
    endpoint: endpoints.s3,
    region: REGION,
    credentials: CREDENTIALS,
    forcePathStyle: true,
    requestHandler: requestHandler(),
    // Default checksums send aws-chunked bodies that s3rver stores or rejects (aws-facts §5.1).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const dynamoRaw = new DynamoDBClient({
    endpoint: endpoints.dynamo,
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: requestHandler(),
  });
  const dynamo = DynamoDBDocumentClient.from(dynamoRaw, { marshallOptions: { removeUndefinedValues: true } });
  return { s3, dynamo, dynamoRaw };
}

/** Closes the clients' sockets so the emulators can shut down at once. */
export function destroyEmulatorClients(clients: EmulatorClients): void {
  clients.s3.destroy();
  clients.dynamoRaw.destroy();
}

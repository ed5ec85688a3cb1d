import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../../local/close-server.js';

/** One call the fake received: the operation from `X-Amz-Target` and the parsed JSON body. */
export interface AwsCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/** A service error the fake answers with: the SDK raises an error of this `name`. */
export class FakeAwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Answers one operation: returns the JSON reply, or throws a {@link FakeAwsError}. */
export type AwsOperation = (input: Record<string, unknown>) => object;

/** A running fake. */
export interface FakeAwsJsonServer {
  /** `http://127.0.0.1:PORT`, for the SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly calls: AwsCall[];
  stop(): Promise<void>;
}

/**
 * A loopback server speaking the AWS JSON protocols (`awsJson1_0` as Step Functions does,
 * `awsJson1_1` as EventBridge does): POST `/` with `X-Amz-Target: Service.Operation`. Tests point a
 * real SDK client at it, so request serialization and error names are the SDK's own.
 *
 * @example
 * const sfn = await startFakeAwsJsonServer({ StartExecution: (input) => ({ executionArn: '…', startDate: 0 }) });
 */
export async function startFakeAwsJsonServer(
  operations: Readonly<Record<string, AwsOperation>>,
): Promise<FakeAwsJsonServer> {
  const calls: AwsCall[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.slice(target.indexOf('.') + 1);
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    calls.push({ operation, input });
    const contentType = String(request.headers['content-type'] ?? 'application/x-amz-json-1.0');
    const reply = (status: number, body: object) => {
      response.writeHead(status, { 'Content-Type': contentType });
      response.end(JSON.stringify(body));
    };
    const handler = operations[operation];
    if (!handler)
      return reply(400, { __type: 'UnknownOperationException', message: `no fake for ${operation}` });
    try {
      reply(200, handler(input));
    } catch (error) {
      if (!(error instanceof FakeAwsError)) throw error;
      reply(400, { __type: `com.amazonaws.fake#${error.type}`, message: error.message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, calls, stop: () => closeServer(server) };
}

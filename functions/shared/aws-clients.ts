import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';

/** How long an SDK client waits for a TCP connection to an AWS endpoint before it fails the call. */
export const AWS_CONNECTION_TIMEOUT_MS = 3_000;

/** How long an SDK call may wait for its response before it fails with a TimeoutError. */
export const AWS_REQUEST_TIMEOUT_MS = 30_000;

/** Timeouts and socket settings of {@link awsRequestHandler}; the defaults suit the runtime. */
export interface AwsRequestHandlerOptions {
  readonly connectionTimeout?: number;
  readonly requestTimeout?: number;
  /** Milliseconds a call may wait for a free socket before the SDK warns. */
  readonly socketAcquisitionWarningTimeout?: number;
}

/** The options {@link awsRequestHandler} builds its handler with. */
export function awsRequestHandlerOptions(options: AwsRequestHandlerOptions = {}): NodeHttpHandlerOptions {
  return {
    connectionTimeout: options.connectionTimeout ?? AWS_CONNECTION_TIMEOUT_MS,
    requestTimeout: options.requestTimeout ?? AWS_REQUEST_TIMEOUT_MS,
    // Without it, a request over its timeout only logs a warning and goes on waiting.
    throwOnRequestTimeout: true,
    ...(options.socketAcquisitionWarningTimeout === undefined
      ? {}
      : { socketAcquisitionWarningTimeout: options.socketAcquisitionWarningTimeout }),
  };
}

/**
 * The HTTP handler of every AWS SDK client we build: connection and request timeouts, so a call to
 * an endpoint that accepts and never answers fails with a `TimeoutError` (and the SDK retries it,
 * or its Lambda does) instead of hanging until the function's own timeout. The SDK's default
 * handler has neither.
 *
 * @example
 * const s3 = new S3Client({ requestHandler: awsRequestHandler() });
 */
export function awsRequestHandler(options: AwsRequestHandlerOptions = {}): NodeHttpHandler {
  return new NodeHttpHandler(awsRequestHandlerOptions(options));
}

import { createServer, type IncomingMessage, maxHeaderSize, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import { OPENAPI_PATH } from '../functions/api/app.js';
import { BadRequestError, HttpError, NotFoundError } from '../functions/api/errors.js';
import { InFlight } from './in-flight.js';

/** The run API on a Node HTTP server. */
export interface ApiHttpServer {
  readonly server: Server;
  /**
   * Stops accepting connections, waits until every request being handled is answered (one more may
   * come on each connection already open, answered with `Connection: close`), then drops the
   * connections left open. Once it resolves, no request handler is using the stores any more.
   */
  close(): Promise<void>;
}

/**
 * Serves a fetch handler (the run API) over HTTP/1.1 so that every request gets an answer in the
 * API's error shape (`{error: {code, message, details}}`) rather than a dropped connection: one Node
 * cannot parse (bad Content-Length or header bytes, headers over the size limit), one the adapter
 * cannot turn into a `Request` (a bad Host or target), and CONNECT, which Node otherwise answers by
 * closing the connection. A body the handler refused unread (a 413) is discarded, so the client
 * still sending it reads the answer and can keep using the connection.
 *
 * @example
 * const { server, close } = createApiHttpServer((request) => app.fetch(request));
 * server.listen(8787, '127.0.0.1');
 */
export function createApiHttpServer(fetch: (request: Request) => Promise<Response>): ApiHttpServer {
  const handling = new InFlight();
  let closing = false;
  const listener = getRequestListener((request) => handling.track(fetch(request)), {
    errorHandler: (error) =>
      error instanceof RequestError
        ? Response.json(malformed(error.message).toJSON(), { status: 400 })
        : new Response(null, { status: 500 }), // the adapter's own answer to a handler that threw
  });
  const server = createServer((incoming, outgoing) => {
    // Once closing, each answer closes its connection: a client kept alive cannot keep it open.
    if (closing) outgoing.shouldKeepAlive = false;
    // A handler goes on after its client left, and an answer is written after its handler returned.
    handling.track(new Promise((closed) => outgoing.once('close', closed)));
    outgoing.once('finish', () => discardUnreadBody(incoming));
    return listener(incoming, outgoing);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's default handler, answering in JSON: nothing to answer on a reset or closed socket, nor
    // in the middle of the answer to an earlier request on the same connection.
    const answering = (socket as { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(rawAnswer(clientErrorAnswer(error)), () => socket.destroy());
  });
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    const answer = new NotFoundError(`there is no route CONNECT ${request.url}; see ${OPENAPI_PATH}`);
    socket.end(rawAnswer(answer), () => socket.destroy());
  });

  return {
    server,
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await handling.settled();
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Lets the rest of a body the handler did not read flow to nowhere once the answer is sent, as Node
 * does for a body nobody touched. The web stream the adapter made of it (the body limit reads
 * `c.req.raw.body`) pauses the request whenever its queue fills and nobody reads it any more, which
 * stalls the adapter's own drain until it destroys the socket (after 500 ms or 64 MiB): the client
 * was reset while sending, or found its kept-alive connection closed without an answer.
 */
function discardUnreadBody(incoming: IncomingMessage): void {
  if (incoming.readableEnded) return;
  incoming.removeAllListeners('data');
  incoming.resume();
}

/** A request that is not HTTP/1.1 this server can read. */
function malformed(reason: string): BadRequestError {
  return new BadRequestError('INVALID_HTTP_REQUEST', `the request is not valid HTTP/1.1: ${reason}`, [
    { message: 'check the request line, the Host header, Content-Length and Transfer-Encoding' },
  ]);
}

/** What Node's parser refused, with the status Node's default handler gives it. */
function clientErrorAnswer(error: NodeJS.ErrnoException): HttpError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HttpError(
        431,
        'HEADERS_TOO_LARGE',
        `the request line and headers are over ${maxHeaderSize} bytes`,
        [{ message: 'send a shorter URL and fewer or shorter headers; send data in the body' }],
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HttpError(408, 'REQUEST_TIMEOUT', 'the request did not arrive in time; send it again');
    default:
      return malformed(error.message);
  }
}

/** An answer written straight to a socket that has no response object, closing the connection. */
function rawAnswer(error: HttpError): string {
  const body = JSON.stringify(error.toJSON());
  return [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

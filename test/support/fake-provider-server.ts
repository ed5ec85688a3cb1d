import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../../local/close-server.js';

/** Token counts a fake reports, in Elexirion's terms; each fake spells them in its own wire format. */
export interface FakeUsage {
  /** Input tokens billed at the full rate (cache reads excluded). */
  readonly inputTokens: number;
  /** All billed output tokens, thinking included. */
  readonly outputTokens: number;
  readonly cachedInputTokens?: number;
  /** How many of `outputTokens` were thinking (Gemini reports them apart). */
  readonly thoughtTokens?: number;
}

/** Options of a `status` behaviour. */
export interface FakeStatusOptions {
  /** Sent as `retry-after` (Anthropic) or a `RetryInfo` detail (Gemini). */
  readonly retryAfterSeconds?: number;
  /** The error message in the body. */
  readonly message?: string;
  /** A Google `ErrorInfo` reason such as `API_KEY_INVALID` (Gemini only). */
  readonly reason?: string;
}

/** A tool call a fake's reply asks for, as a test scripts it. */
export interface FakeToolCall {
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
  /**
   * The call's id on the wire. Anthropic always gives one, so its fake makes one up when absent;
   * the Gemini API may give none, so its fake then sends none.
   */
  readonly id?: string;
}

/** A successful reply: text blocks (parts), then the tool calls, if any. */
export interface OkBehaviour {
  readonly kind: 'ok';
  readonly text: string | readonly string[];
  readonly usage: FakeUsage;
  readonly toolCalls?: readonly FakeToolCall[];
}

/** An error reply. */
export interface StatusBehaviour extends FakeStatusOptions {
  readonly kind: 'status';
  readonly status: number;
}

/** What a fake does with one request. */
export type FakeBehaviour =
  | OkBehaviour
  | StatusBehaviour
  | { readonly kind: 'hang' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'raw'; readonly reply: FakeReply };

/** Builders of {@link FakeBehaviour}s, shared by every fake. */
export const fake = {
  /** A successful reply; an array of texts becomes several text blocks (parts). */
  ok(text: string | readonly string[], usage: FakeUsage = { inputTokens: 12, outputTokens: 5 }): OkBehaviour {
    return { kind: 'ok', text, usage };
  },
  /** A model turn that calls tools, after `text` when given (`tool_use` blocks, `functionCall` parts). */
  toolCalls(
    toolCalls: readonly FakeToolCall[],
    options: { readonly text?: string; readonly usage?: FakeUsage } = {},
  ): OkBehaviour {
    const { text, usage = { inputTokens: 12, outputTokens: 5 } } = options;
    return { kind: 'ok', text: text === undefined ? [] : [text], usage, toolCalls };
  },
  /** An error reply with this HTTP status, in the provider's error body shape. */
  status(status: number, options: FakeStatusOptions = {}): StatusBehaviour {
    return { kind: 'status', status, ...options };
  },
  /** Never replies, so the client's timeout fires. */
  hang(): FakeBehaviour {
    return { kind: 'hang' };
  },
  /** A 200 whose JSON body is cut off. */
  malformed(): FakeBehaviour {
    return { kind: 'malformed' };
  },
  /** Exactly this reply, for bodies that are JSON but not the protocol's shape. */
  raw(status: number, body: unknown): FakeBehaviour {
    return { kind: 'raw', reply: { status, body } };
  },
};

/** A request as the fake received it; credential headers are replaced by `[redacted]`. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
}

/** A reply a fake's protocol module writes: status, headers and a JSON body. */
export interface FakeReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** A running fake provider on a loopback port. */
export interface FakeProviderServer {
  /** Base URL to give the SDK, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Queues behaviours for the next requests; an unqueued request gets `fake.ok('ok')`. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** Stops listening and destroys open sockets, hanging ones included; a second call does nothing. */
  close(): Promise<void>;
}

/** How one provider protocol answers: its route, and its wire shape for `ok` and `status`. */
export interface FakeProtocol {
  /** Requests whose `METHOD path` does not match get a 404 in the provider's shape. */
  readonly route: RegExp;
  /** `index` is the request's place among those the server received, from 0 (for made-up ids). */
  reply(behaviour: OkBehaviour | StatusBehaviour, request: RecordedRequest, index: number): FakeReply;
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-goog-api-key']);

/**
 * Starts a fake provider speaking `protocol` on 127.0.0.1, port 0. `hang` and `malformed` are the
 * same for every protocol and handled here.
 *
 * @example
 * const server = await startFakeProviderServer(anthropicProtocol);
 */
export async function startFakeProviderServer(protocol: FakeProtocol): Promise<FakeProviderServer> {
  const queue: FakeBehaviour[] = [];
  const requests: RecordedRequest[] = [];

  const server = createServer(async (incoming, response) => {
    const request = await record(incoming);
    const index = requests.push(request) - 1;
    if (!protocol.route.test(`${request.method} ${request.path}`)) {
      send(response, protocol.reply(fake.status(404), request, index));
      return;
    }
    const behaviour = queue.shift() ?? fake.ok('ok');
    if (behaviour.kind === 'hang') return;
    if (behaviour.kind === 'malformed') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "broken", "content": [');
      return;
    }
    send(response, behaviour.kind === 'raw' ? behaviour.reply : protocol.reply(behaviour, request, index));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...behaviours) => queue.push(...behaviours),
    close: async () => {
      if (server.listening) await closeServer(server);
    },
  };
}

async function record(incoming: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    headers[name] = SECRET_HEADERS.has(name) ? '[redacted]' : String(value);
  }
  return { method: incoming.method ?? '', path: incoming.url ?? '', headers, body: parseJson(text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(response: ServerResponse, reply: FakeReply): void {
  response
    .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
    .end(JSON.stringify(reply.body));
}

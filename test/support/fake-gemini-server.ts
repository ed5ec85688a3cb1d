import {
  type FakeProtocol,
  type FakeProviderServer,
  type OkBehaviour,
  type RecordedRequest,
  type StatusBehaviour,
  startFakeProviderServer,
} from './fake-provider-server.js';

/** The canonical Google RPC status of each HTTP status the Gemini API returns. */
const RPC_STATUSES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

// @google/genai 3.x calls the stable `v1` surface by default; `v1beta` is what most docs show.
const ROUTE = /^POST \/v1(?:beta)?\/models\/([^/:]+):generateContent$/;

/** The Gemini API wire protocol: `POST /v1beta/models/{model}:generateContent` (or `/v1/`). */
const geminiProtocol: FakeProtocol = {
  route: ROUTE,
  reply(behaviour, request) {
    return behaviour.kind === 'ok' ? generateContentReply(behaviour, request) : errorReply(behaviour);
  },
};

/**
 * Starts a loopback fake of the Gemini API for the real `@google/genai`: pass its `url` as
 * `baseUrl`, queue behaviours with `enqueue(fake.ok('hi'), fake.status(503))`, or a turn calling
 * functions with `fake.toolCalls([{ name: 'Read', input: { file_path: 'a.ts' } }])`.
 *
 * @example
 * const server = await startFakeGeminiServer();
 * const provider = new GeminiProvider({ apiKey: 'AIza-test', baseUrl: server.url });
 */
export function startFakeGeminiServer(): Promise<FakeProviderServer> {
  return startFakeProviderServer(geminiProtocol);
}

/** A reply of one candidate; a tool call without an id is sent without one, as Gemini 2.5 does. */
function generateContentReply(behaviour: OkBehaviour, request: RecordedRequest) {
  const texts = typeof behaviour.text === 'string' ? [behaviour.text] : behaviour.text;
  const calls = (behaviour.toolCalls ?? []).map(({ id, name, input }) => ({
    functionCall: { ...(id === undefined ? {} : { id }), name, args: input },
  }));
  const { inputTokens, outputTokens, cachedInputTokens = 0, thoughtTokens = 0 } = behaviour.usage;
  const promptTokenCount = inputTokens + cachedInputTokens;
  return {
    status: 200,
    body: {
      candidates: [
        {
          content: { role: 'model', parts: [...texts.map((text) => ({ text })), ...calls] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      // proto3 JSON omits zero counts, as the real API does.
      usageMetadata: {
        promptTokenCount,
        candidatesTokenCount: outputTokens - thoughtTokens,
        totalTokenCount: promptTokenCount + outputTokens,
        ...(cachedInputTokens ? { cachedContentTokenCount: cachedInputTokens } : {}),
        ...(thoughtTokens ? { thoughtsTokenCount: thoughtTokens } : {}),
      },
      modelVersion: ROUTE.exec(`${request.method} ${request.path}`)?.[1] ?? 'unknown',
      responseId: 'fake-response',
    },
  };
}

function errorReply(behaviour: StatusBehaviour) {
  const { status, retryAfterSeconds, message, reason } = behaviour;
  const rpcStatus = RPC_STATUSES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  const details = [
    ...(reason === undefined
      ? []
      : [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' }]),
    ...(retryAfterSeconds === undefined
      ? []
      : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }]),
  ];
  return {
    status,
    body: {
      error: {
        code: status,
        message: message ?? `fake ${rpcStatus}`,
        status: rpcStatus,
        ...(details.length > 0 ? { details } : {}),
      },
    },
  };
}

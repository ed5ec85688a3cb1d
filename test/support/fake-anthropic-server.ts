import {
  type FakeProtocol,
  type FakeProviderServer,
  type OkBehaviour,
  type RecordedRequest,
  type StatusBehaviour,
  startFakeProviderServer,
} from './fake-provider-server.js';

/** `error.type` of the Anthropic error body for each status the API documents. */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The Anthropic Messages API wire protocol: `POST /v1/messages`. */
const anthropicProtocol: FakeProtocol = {
  route: /^POST \/v1\/messages$/,
  reply(behaviour, request, index) {
    return behaviour.kind === 'ok' ? messageReply(behaviour, request, index) : errorReply(behaviour);
  },
};

/**
 * Starts a loopback fake of the Anthropic Messages API for the real `@anthropic-ai/sdk`: pass its
 * `url` as `baseURL`, queue behaviours with `enqueue(fake.ok('hi'), fake.status(529))`, or a turn
 * calling tools with `fake.toolCalls([{ name: 'Read', input: { file_path: 'a.ts' } }])`.
 *
 * @example
 * const server = await startFakeAnthropicServer();
 * const provider = new AnthropicProvider({ apiKey: 'sk-ant-test', baseURL: server.url });
 */
export function startFakeAnthropicServer(): Promise<FakeProviderServer> {
  return startFakeProviderServer(anthropicProtocol);
}

/**
 * A `message` reply. A tool call without an id gets `toolu_fake_{request}_{index}`, so ids are
 * unique over the server's life, as the API's are over a conversation.
 */
function messageReply(behaviour: OkBehaviour, request: RecordedRequest, requestIndex: number) {
  const texts = typeof behaviour.text === 'string' ? [behaviour.text] : behaviour.text;
  const { usage, toolCalls = [] } = behaviour;
  return {
    status: 200,
    headers: { 'request-id': 'req_fake' },
    body: {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: modelOf(request),
      content: [
        ...texts.map((text) => ({ type: 'text', text, citations: null })),
        ...toolCalls.map((call, index) => ({
          type: 'tool_use',
          id: call.id ?? `toolu_fake_${requestIndex}_${index}`,
          name: call.name,
          input: call.input,
          caller: { type: 'direct' },
        })),
      ],
      stop_reason: toolCalls.length > 0 ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: usage.cachedInputTokens ?? 0,
      },
    },
  };
}

function errorReply(behaviour: StatusBehaviour) {
  const { status, retryAfterSeconds, message } = behaviour;
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const retryable = status === 429 || status >= 500;
  return {
    status,
    headers: {
      'request-id': 'req_fake',
      // The real API marks retryable errors; the adapter must not retry all the same.
      ...(retryable ? { 'x-should-retry': 'true' } : {}),
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
    },
    body: { type: 'error', error: { type, message: message ?? `fake ${type}` }, request_id: 'req_fake' },
  };
}

function modelOf(request: RecordedRequest): string {
  const { model } = request.body as { model?: unknown };
  return typeof model === 'string' ? model : 'unknown';
}

import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { CompletionRequest, CompletionResult, Provider, ToolCall } from '../ports/provider.js';
import { ProviderError } from '../shared/errors.js';
import { iterationSuffix } from '../shared/iteration.js';
import { mockChatReply, requestedFields, scriptedChatReply } from './mock-chat-reply.js';
import { MOCK_ERRORS, type MockScript, type MockToolCall, scriptedResponse } from './mock-script.js';
import { schemaInstance } from './schema-instance.js';

/** Options of {@link MockProvider}. */
export interface MockProviderOptions {
  /**
   * Scripted responses by step and model call (see `mock-script.ts`).
   * @default - every step answers with a stable text derived from its prompt
   */
  readonly script?: MockScript;
  /**
   * Simulated provider delay before each answer or fault, in milliseconds (benchmarks use it).
   * @default 0
   */
  readonly latencyMs?: number;
}

/** Length of the prompt's first line echoed in an unscripted answer. */
const ECHO_CHARS = 60;

/**
 * The deterministic `mock` provider: no network, no key. A step named in the script answers its
 * scripted responses by model call (attempt and agent turn, and iteration inside a loop body: see
 * `mock-script.ts`); a `$tool_calls` response is an agent turn calling those tools, their ids
 * `mock_1`, `mock_2`, … counted over the step's conversation (see `mockToolCalls`). Any other step
 * answers `[mock MODEL] HASH ECHO`, where HASH is a short sha256 of the system prompt, the earlier
 * turns and the prompt and ECHO the prompt's first line, so the same request always gets the same
 * answer, and never calls a tool; a request with an output schema gets a small JSON value
 * conforming to it instead (see `schemaInstance`), and a prompt in DSPy's ChatAdapter layout (a
 * prompt pack's) every field it asks for (see `mockChatReply`). Token counts are estimated as
 * ⌈characters / 4⌉ so progress shows numbers; the cost of a mock call is always 0 (see
 * `priceAttempt`). `model` in the result is the model the request asked for.
 *
 * @example
 * const provider = new MockProvider({ script: await loadMockScript('refactor.mock.yaml') });
 * const { text } = await provider.complete({ stepId: 'plan', attempt: 1, model: 'claude-sonnet-4-5',
 *   prompt: 'Plan the refactor', maxOutputTokens: 1024, timeoutMs: 60_000 });
 */
export class MockProvider implements Provider {
  readonly name = 'mock';
  private readonly script: MockScript | undefined;
  private readonly latencyMs: number;

  constructor(options: MockProviderOptions = {}) {
    this.script = options.script;
    this.latencyMs = options.latencyMs ?? 0;
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const scripted =
      this.script && scriptedResponse(this.script, request.stepId, request.attempt, request.iteration);
    if (scripted?.kind === 'error') {
      throw new ProviderError(
        MOCK_ERRORS[scripted.error],
        `mock ${request.model}: ${scripted.error} injected by ${this.script?.path} for ${describeCall(request)}`,
        { provider: 'mock', model: request.model },
      );
    }
    if (scripted?.kind === 'tool_calls') {
      // Only an agent's loop runs tool calls: anywhere else the turn would pass as an empty answer.
      if (request.turn === undefined) {
        throw new ProviderError(
          ErrorName.ProviderInvalidRequest,
          `mock ${request.model}: ${this.script?.path} asks ${describeCall(request)} for tool calls, but the step is not an agent; script a text answer instead`,
          { provider: 'mock', model: request.model },
        );
      }
      const toolCalls = mockToolCalls(scripted.calls, request);
      return result(request, '', JSON.stringify(scripted.calls), { stopReason: 'tool_use', toolCalls });
    }
    const text = scripted ? scriptedText(scripted.text, request) : unscriptedText(request);
    return result(request, text, text, { stopReason: 'end_turn' });
  }
}

/** A result with token counts estimated from the request and from what the model "wrote". */
function result(
  request: CompletionRequest,
  text: string,
  written: string,
  rest: Pick<CompletionResult, 'stopReason' | 'toolCalls'>,
): CompletionResult {
  return {
    text,
    model: request.model,
    usage: {
      inputTokens: estimateTokens(`${request.system ?? ''}${conversationText(request)}${request.prompt}`),
      outputTokens: estimateTokens(written),
      cachedInputTokens: 0,
    },
    ...rest,
  };
}

/**
 * The scripted calls with their ids: `mock_{n}`, n counting the calls of the earlier turns first, so
 * no two calls of a conversation share an id and a retried turn makes the same ones.
 */
function mockToolCalls(calls: readonly MockToolCall[], request: CompletionRequest): ToolCall[] {
  const earlier = (request.agentTurns ?? []).reduce((count, turn) => count + turn.toolCalls.length, 0);
  return calls.map((call, index) => ({
    id: `mock_${earlier + index + 1}`,
    name: call.name,
    input: call.input,
  }));
}

/** `step "plan" attempt 2`, with the iteration and the agent turn when there are. */
function describeCall(request: CompletionRequest): string {
  const turn = request.turn === undefined ? '' : ` turn ${request.turn}`;
  return `step "${request.stepId}${iterationSuffix(request.iteration)}" attempt ${request.attempt}${turn}`;
}

/** A scripted text; put in ChatAdapter's layout when the prompt (a prompt pack's) asks for it. */
function scriptedText(text: string, request: CompletionRequest): string {
  const fields = requestedFields(request.prompt);
  return fields ? scriptedChatReply(fields, text) : text;
}

function unscriptedText(request: CompletionRequest): string {
  // A step with an output schema gets a conforming answer, so examples with schemas run offline.
  if (request.outputSchema !== undefined) return JSON.stringify(schemaInstance(request.outputSchema));
  const hash = createHash('sha256')
    .update(`${request.system ?? ''}\0${conversationText(request)}\0${request.prompt}`)
    .digest('hex')
    .slice(0, 12);
  // A prompt pack (or the LLM judge) asks for [[ ## field ## ]] sections: answer in that layout.
  const fields = requestedFields(request.prompt);
  if (fields) return mockChatReply(fields, `[mock ${request.model}] ${hash}`, hash);
  const firstLine = request.prompt.trimStart().split('\n', 1)[0]?.trim() ?? '';
  const echo = firstLine.length > ECHO_CHARS ? `${firstLine.slice(0, ECHO_CHARS)}…` : firstLine;
  return `[mock ${request.model}] ${hash} ${echo}`;
}

/**
 * The earlier turns of a session, and an agent's turns, as one text: the same prompt in another
 * context answers differently, and the input tokens grow with the conversation as a model's do.
 */
function conversationText(request: CompletionRequest): string {
  const messages = (request.messages ?? []).map((message) => `${message.role}: ${message.content}\n`);
  const turns = (request.agentTurns ?? []).map(
    (turn) =>
      `assistant: ${turn.text}${JSON.stringify(turn.toolCalls)}\nuser: ${JSON.stringify(turn.toolResults)}\n`,
  );
  return [...messages, ...turns].join('');
}

/** About four characters per token, the usual rule of thumb for English text. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

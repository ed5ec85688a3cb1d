import Anthropic, {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
} from '@anthropic-ai/sdk';
import { transformJSONSchema } from '@anthropic-ai/sdk/lib/transform-json-schema';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type {
  AgentTurn,
  CompletionRequest,
  CompletionResult,
  Provider,
  ToolDefinition,
} from '../ports/provider.js';
import type { ProviderError } from '../shared/errors.js';
import {
  errorNameForStatus,
  normalizeProviderError,
  type ProviderFailure,
  parseRetryAfter,
} from './provider-errors.js';

/**
 * Options of {@link AnthropicProvider}: a ready client (tests, proxies, a shared client) or the key
 * and endpoint to build one, never both.
 */
export type AnthropicProviderOptions =
  | {
      /** A configured client; its own retry setting is overridden per request. */
      readonly client: Anthropic;
      readonly apiKey?: never;
      readonly baseURL?: never;
    }
  | {
      readonly apiKey: string;
      /** @default - `https://api.anthropic.com` (or `ANTHROPIC_BASE_URL`) */
      readonly baseURL?: string;
      readonly client?: never;
    };

/**
 * The part of a Messages API reply the adapter reads; anything else in it is ignored. Blocks of
 * other types (`thinking`, server tools) are skipped, so they are not checked.
 */
const MessageReplySchema = z.object({
  model: z.string(),
  content: z.array(
    z
      .object({
        type: z.string(),
        text: z.string().optional(),
        id: z.string().optional(),
        name: z.string().optional(),
        input: z.record(z.string(), z.unknown()).optional(),
      })
      .refine((block) => block.type !== 'text' || block.text !== undefined, 'a text block needs `text`')
      .refine(
        (block) =>
          block.type !== 'tool_use' ||
          (block.id !== undefined && block.name !== undefined && block.input !== undefined),
        'a tool_use block needs `id`, `name` and an `input` object',
      ),
  ),
  stop_reason: z.string().nullish(),
  usage: z.object({
    input_tokens: z.number(),
    output_tokens: z.number(),
    cache_creation_input_tokens: z.number().nullish(),
    cache_read_input_tokens: z.number().nullish(),
  }),
});

/**
 * Claude through the Anthropic Messages API. The SDK never retries (`maxRetries: 0` on every
 * request, even on an injected client): Step Functions owns retrying. `temperature`, `topP` and
 * `topK` are not sent: API version 2026-10-21, which this SDK speaks, rejects them with a 400 even
 * at their defaults.
 *
 * Tools are client tools (`{name, description, input_schema}`), named as Claude Code names them;
 * the agent's turns follow the prompt as messages (see `agentMessages`), and the reply's `tool_use`
 * blocks become `toolCalls` with the API's ids, which the next request's `tool_result`s echo.
 *
 * @example
 * const provider = new AnthropicProvider({ apiKey: process.env.ANTHROPIC_API_KEY ?? '' });
 * const { text } = await provider.complete({ stepId: 'plan', attempt: 1, model: 'claude-sonnet-4-5',
 *   prompt: 'Plan the refactor', maxOutputTokens: 1024, timeoutMs: 60_000 });
 */
export class AnthropicProvider implements Provider {
  readonly name = 'anthropic';
  private readonly client: Anthropic;

  constructor(options: AnthropicProviderOptions) {
    this.client =
      options.client ?? new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0 });
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    try {
      const reply = await this.client.messages.create(
        {
          model: request.model,
          max_tokens: request.maxOutputTokens,
          system: request.system,
          messages: [
            ...(request.messages ?? []).map(({ role, content }) => ({ role, content })),
            { role: 'user', content: request.prompt },
            ...(request.agentTurns ?? []).flatMap(agentMessages),
          ],
          ...(request.tools?.length ? { tools: request.tools.map(toTool) } : {}),
          ...structuredOutput(request.outputSchema),
        },
        { timeout: request.timeoutMs, maxRetries: 0 },
      );
      return toCompletionResult(MessageReplySchema.parse(reply));
    } catch (error) {
      throw normalizeAnthropicError(error, request.model);
    }
  }
}

/** A tool definition as the Messages API takes it; a tool's input is always an object. */
function toTool(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: { ...tool.inputSchema, type: 'object' },
  };
}

/**
 * One agent turn as two messages: the assistant's text (when it said any: the API refuses an empty
 * text block) and its `tool_use` blocks, then a user message of one `tool_result` per call, paired
 * by `tool_use_id`.
 */
function agentMessages(turn: AgentTurn): MessageParam[] {
  return [
    {
      role: 'assistant',
      content: [
        ...(turn.text ? [{ type: 'text' as const, text: turn.text }] : []),
        ...turn.toolCalls.map((call) => ({
          type: 'tool_use' as const,
          id: call.id,
          name: call.name,
          input: call.input,
        })),
      ],
    },
    {
      role: 'user',
      content: turn.toolResults.map((result) => ({
        type: 'tool_result' as const,
        tool_use_id: result.callId,
        content: result.content,
        is_error: result.isError,
      })),
    },
  ];
}

/**
 * Asks for structured output when the answer must match a schema. The Messages API takes object
 * schemas in a subset of JSON Schema, so the SDK's own transform moves the constraints it does not
 * take (lengths, bounds, …) into descriptions; the step runner still checks the full schema. A schema
 * whose root is not an object is left to the prompt and the runner's check.
 */
function structuredOutput(schema: Readonly<Record<string, unknown>> | undefined): {
  output_config?: { format: { type: 'json_schema'; schema: Record<string, unknown> } };
} {
  if (schema?.type !== 'object') return {};
  return { output_config: { format: { type: 'json_schema', schema: transformJSONSchema({ ...schema }) } } };
}

/**
 * Maps any failure of a Messages API call to a `ProviderError`: 429 is `Provider.RateLimited` (with
 * `retry-after`), 529 or an `overloaded_error` is `Provider.Overloaded`, other 5xx and refused
 * connections are `Provider.ServerError`, the SDK's timeout is `Provider.Timeout`, 401/403 are
 * `Provider.AuthFailed`, other 4xx and errors the SDK raises before sending are
 * `Provider.InvalidRequest`, and a reply that is not JSON or lacks `content` or `usage` is
 * `Provider.InvalidResponse`.
 *
 * @example
 * catch (error) { throw normalizeAnthropicError(error, request.model); }
 */
export function normalizeAnthropicError(error: unknown, model: string): ProviderError {
  return normalizeProviderError('anthropic', model, error, classifyAnthropicError);
}

function classifyAnthropicError(error: unknown): ProviderFailure | undefined {
  // APIConnectionTimeoutError extends APIConnectionError, which extends APIError: test narrowest first.
  if (error instanceof APIConnectionTimeoutError) {
    return { name: ErrorName.ProviderTimeout, detail: error.message };
  }
  if (error instanceof APIConnectionError) {
    return { name: ErrorName.ProviderServerError, detail: error.message };
  }
  if (error instanceof APIError && error.status !== undefined) {
    return {
      name:
        error.type === 'overloaded_error' ? ErrorName.ProviderOverloaded : errorNameForStatus(error.status),
      detail: error.apiMessage ?? error.message,
      status: error.status,
      retryAfterSeconds: parseRetryAfter(error.headers?.get('retry-after')),
    };
  }
  if (error instanceof AnthropicError) {
    return { name: ErrorName.ProviderInvalidRequest, detail: error.message };
  }
  return undefined;
}

/**
 * Text is the concatenated text blocks, and `toolCalls` the `tool_use` blocks in order (absent when
 * there are none; with some, `stop_reason` is `tool_use`). Cache writes count as `inputTokens`
 * (they are billed from the input budget) and cache reads as `cachedInputTokens`; see `priceUsage`
 * for why they are apart.
 */
function toCompletionResult(reply: z.infer<typeof MessageReplySchema>): CompletionResult {
  const { usage } = reply;
  const toolCalls = reply.content.flatMap((block) =>
    block.type === 'tool_use' && block.id !== undefined && block.name !== undefined && block.input
      ? [{ id: block.id, name: block.name, input: block.input }]
      : [],
  );
  return {
    text: reply.content
      .filter((block) => block.type === 'text')
      .map((block) => block.text)
      .join(''),
    model: reply.model,
    usage: {
      inputTokens: usage.input_tokens + (usage.cache_creation_input_tokens ?? 0),
      outputTokens: usage.output_tokens,
      cachedInputTokens: usage.cache_read_input_tokens ?? 0,
    },
    stopReason: reply.stop_reason ?? undefined,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}

import {
  ApiError,
  type Content,
  type FunctionDeclaration,
  type GenerateContentResponse,
  GoogleGenAI,
  type Part,
} from '@google/genai';
import { z } from 'zod';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type {
  AgentTurn,
  CompletionRequest,
  CompletionResult,
  Provider,
  ToolCall,
  ToolDefinition,
} from '../ports/provider.js';
import type { ProviderError } from '../shared/errors.js';
import { errorNameForStatus, normalizeProviderError, type ProviderFailure } from './provider-errors.js';

/**
 * Options of {@link GeminiProvider}: a ready client (tests, proxies, a shared client) or the key and
 * endpoint to build one, never both.
 */
export type GeminiProviderOptions =
  | {
      /** A configured Gemini API client; its own retry options are overridden per request. */
      readonly client: GoogleGenAI;
      readonly apiKey?: never;
      readonly baseUrl?: never;
    }
  | {
      readonly apiKey: string;
      /** @default - `https://generativelanguage.googleapis.com/` */
      readonly baseUrl?: string;
      readonly client?: never;
    };

/** One part of a candidate's content: text (a thought when `thought`), or a call of a declared function. */
const PartSchema = z.object({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  functionCall: z
    .object({
      id: z.string().optional(),
      name: z.string(),
      args: z.record(z.string(), z.unknown()).default({}),
    })
    .optional(),
});

/** The part of a `generateContent` reply the adapter reads; anything else in it is ignored. */
const GenerateContentReplySchema = z.object({
  candidates: z
    .array(
      z.object({
        // A candidate stopped before any output (`MAX_TOKENS`, `SAFETY`) may have no content.
        content: z.object({ parts: z.array(PartSchema).default([]) }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .min(1),
  // proto3 JSON omits zero counts, so an absent count is 0; an absent usageMetadata is malformed.
  usageMetadata: z.object({
    promptTokenCount: z.number().default(0),
    candidatesTokenCount: z.number().default(0),
    thoughtsTokenCount: z.number().default(0),
    cachedContentTokenCount: z.number().default(0),
  }),
  modelVersion: z.string().optional(),
});

/** The ids this adapter makes up for calls the API gave none (see `toToolCalls`). */
const MADE_UP_ID = /^call_\d+_\d+$/;

/** The JSON error body of the Gemini API, which the SDK puts in `ApiError.message`. */
const GoogleErrorBodySchema = z.object({
  error: z.object({
    message: z.string().optional(),
    details: z
      .array(z.object({ reason: z.string().optional(), retryDelay: z.string().optional() }))
      .optional(),
  }),
});

/**
 * Gemini through `@google/genai` (`models.generateContent`). Every request sets
 * `retryOptions: { attempts: 1 }`, so the SDK never retries even on an injected client configured
 * to: Step Functions owns retrying.
 *
 * Tools are function declarations whose parameters are the tools' JSON Schemas as they are
 * (`parametersJsonSchema`, not the OpenAPI subset `parameters` takes); the agent's turns follow the
 * prompt as contents (see `agentContents`), and the reply's `functionCall` parts become `toolCalls`.
 * The Gemini API may give a call no id: it is then `call_{turn}_{index}` (see `toToolCalls`), which
 * is never sent back, since the API pairs such calls with their responses by order and name.
 *
 * @example
 * const provider = new GeminiProvider({ apiKey: process.env.GEMINI_API_KEY ?? '' });
 * const { text } = await provider.complete({ stepId: 'summarize', attempt: 1, model: 'gemini-2.5-flash',
 *   prompt: 'Summarize the diff', maxOutputTokens: 1024, timeoutMs: 60_000 });
 */
export class GeminiProvider implements Provider {
  readonly name = 'gemini';
  private readonly client: GoogleGenAI;

  constructor(options: GeminiProviderOptions) {
    this.client =
      options.client ??
      new GoogleGenAI({ apiKey: options.apiKey, vertexai: false, httpOptions: { baseUrl: options.baseUrl } });
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    try {
      const reply = await this.client.models.generateContent({
        model: request.model,
        contents: conversation(request),
        config: {
          systemInstruction: request.system,
          ...(request.tools?.length
            ? { tools: [{ functionDeclarations: request.tools.map(toFunctionDeclaration) }] }
            : {}),
          maxOutputTokens: request.maxOutputTokens,
          temperature: request.temperature,
          topP: request.topP,
          topK: request.topK,
          // Structured output: JSON only, in the schema's shape (the step runner validates it again).
          ...(request.outputSchema === undefined
            ? {}
            : { responseMimeType: 'application/json', responseJsonSchema: request.outputSchema }),
          httpOptions: { timeout: request.timeoutMs, retryOptions: { attempts: 1 } },
        },
      });
      return toCompletionResult(reply, request);
    } catch (error) {
      throw normalizeGeminiError(error, request.model);
    }
  }
}

/**
 * Earlier turns, the prompt and the agent's turns as Gemini contents; Gemini calls the assistant's
 * role `model`.
 */
function conversation(request: CompletionRequest): Content[] {
  return [
    ...(request.messages ?? []).map((message) => ({
      role: message.role === 'assistant' ? 'model' : 'user',
      parts: [{ text: message.content }],
    })),
    { role: 'user', parts: [{ text: request.prompt }] },
    ...(request.agentTurns ?? []).flatMap(agentContents),
  ];
}

function toFunctionDeclaration(tool: ToolDefinition): FunctionDeclaration {
  return { name: tool.name, description: tool.description, parametersJsonSchema: tool.inputSchema };
}

/**
 * One agent turn as two contents: the model's text (when it said any) and its `functionCall`
 * parts, then a user content of one `functionResponse` per result, `{output}` or, for a refused or
 * failed call, `{error}` (the keys the API reads as the function's output and its error).
 */
function agentContents(turn: AgentTurn): Content[] {
  const sentId = (id: string) => (MADE_UP_ID.test(id) ? {} : { id });
  const calls: Part[] = turn.toolCalls.map((call) => ({
    functionCall: { ...sentId(call.id), name: call.name, args: { ...call.input } },
  }));
  const responses: Part[] = turn.toolResults.map((result) => ({
    functionResponse: {
      ...sentId(result.callId),
      name: result.name,
      response: result.isError ? { error: result.content } : { output: result.content },
    },
  }));
  return [
    { role: 'model', parts: [...(turn.text ? [{ text: turn.text }] : []), ...calls] },
    { role: 'user', parts: responses },
  ];
}

/**
 * Maps any failure of a `generateContent` call to a `ProviderError`: 429 `RESOURCE_EXHAUSTED` is
 * `Provider.RateLimited` (with the `RetryInfo` delay), 503 `UNAVAILABLE` is `Provider.Overloaded`,
 * other 5xx and refused connections are `Provider.ServerError`, the request timeout is
 * `Provider.Timeout`, 401/403 and a 400 `API_KEY_INVALID` are `Provider.AuthFailed`, other 4xx are
 * `Provider.InvalidRequest`, and a reply that is not JSON or lacks candidates or usage is
 * `Provider.InvalidResponse`.
 *
 * @example
 * catch (error) { throw normalizeGeminiError(error, request.model); }
 */
export function normalizeGeminiError(error: unknown, model: string): ProviderError {
  return normalizeProviderError('gemini', model, error, classifyGeminiError);
}

function classifyGeminiError(error: unknown): ProviderFailure | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const body = parseErrorBody(error.message);
  const details = body?.error.details ?? [];
  // The Gemini API answers a bad key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
  const keyInvalid = details.some((detail) => detail.reason === 'API_KEY_INVALID');
  const retryDelay = details.find((detail) => detail.retryDelay !== undefined)?.retryDelay;
  return {
    name:
      error.status === 503
        ? ErrorName.ProviderOverloaded
        : keyInvalid
          ? ErrorName.ProviderAuthFailed
          : errorNameForStatus(error.status),
    detail: body?.error.message ?? error.message,
    status: error.status,
    retryAfterSeconds: parseDuration(retryDelay),
  };
}

function parseErrorBody(message: string): z.infer<typeof GoogleErrorBodySchema> | undefined {
  try {
    return GoogleErrorBodySchema.parse(JSON.parse(message));
  } catch {
    return undefined;
  }
}

/** Seconds in a protobuf `Duration` as JSON writes it (`"17s"`, `"0.5s"`). */
function parseDuration(duration: string | undefined): number | undefined {
  const match = duration?.match(/^(\d+(?:\.\d+)?)s$/);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Text is the first candidate's text parts, thoughts excluded (read here rather than by the SDK's
 * `text` getter, which warns on the console whenever a reply also calls functions), and `toolCalls`
 * its `functionCall` parts (absent when there are none). `promptTokenCount` includes cached
 * tokens, so `inputTokens` subtracts them; thinking tokens are billed as output, so `outputTokens`
 * adds them. See `priceUsage`.
 */
function toCompletionResult(reply: GenerateContentResponse, request: CompletionRequest): CompletionResult {
  const { candidates, usageMetadata: usage, modelVersion } = GenerateContentReplySchema.parse(reply);
  const parts = candidates[0]?.content?.parts ?? [];
  const toolCalls = toToolCalls(parts, (request.agentTurns?.length ?? 0) + 1);
  return {
    text: parts
      .filter((part) => part.text !== undefined && !part.thought)
      .map((part) => part.text)
      .join(''),
    model: modelVersion ?? request.model,
    usage: {
      inputTokens: usage.promptTokenCount - usage.cachedContentTokenCount,
      outputTokens: usage.candidatesTokenCount + usage.thoughtsTokenCount,
      cachedInputTokens: usage.cachedContentTokenCount,
    },
    stopReason: candidates[0]?.finishReason,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}

/**
 * The reply's function calls. One the API gave no id gets `call_{turn}_{index}`: the turn of this
 * call in the agent's loop (1-based) and the call's place among the reply's calls (0-based), so a
 * retried turn makes the same ids and no two calls of a conversation share one.
 */
function toToolCalls(parts: readonly z.infer<typeof PartSchema>[], turn: number): ToolCall[] {
  return parts
    .flatMap((part) => (part.functionCall ? [part.functionCall] : []))
    .map((call, index) => ({ id: call.id ?? `call_${turn}_${index}`, name: call.name, input: call.args }));
}

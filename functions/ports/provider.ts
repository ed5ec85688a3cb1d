import type { ProviderName, SamplingOptions } from '../../pipelines/contract/models.js';
import type { Iteration } from '../../pipelines/contract/step-event.js';

/** One model call, in the core's vocabulary. Providers map it onto their SDK. */
export interface CompletionRequest extends SamplingOptions {
  /** Step id, used by the mock provider to pick scripted answers. */
  readonly stepId: string;
  /** 1-based attempt number of this step in this run (in this iteration, inside a loop body). */
  readonly attempt: number;
  /** Inside a loop body, the iteration: the mock provider answers `STEP[i]` scripts by it. */
  readonly iteration?: Iteration;
  /** Provider model id, already resolved from aliases (`claude-sonnet-4-5`, `gemini-2.5-flash`). */
  readonly model: string;
  readonly system?: string;
  /**
   * Earlier turns of the conversation, oldest first, sent before `prompt` (a `claude_session`'s
   * stored turns, or a repair's invalid answer). They alternate, starting with a user turn.
   */
  readonly messages?: readonly ChatMessage[];
  /** The rendered user prompt: the last user turn. */
  readonly prompt: string;
  readonly maxOutputTokens: number;
  /** Abort the call after this many milliseconds with `Provider.Timeout`. */
  readonly timeoutMs: number;
  /**
   * JSON Schema the answer must match: providers ask the model for JSON in that shape (structured
   * output) where they can. The step runner validates the answer either way.
   */
  readonly outputSchema?: Readonly<Record<string, unknown>>;
  /**
   * Tools the model may call (an agent step's `allowed_tools`). With tools, `agentTurns` holds the
   * conversation after `prompt` (the task): the model's earlier tool calls and their results.
   */
  readonly tools?: readonly ToolDefinition[];
  /** An agent step's conversation after its first user turn (`prompt`), oldest first. */
  readonly agentTurns?: readonly AgentTurn[];
  /**
   * 1-based number of this model call in an agent step's loop (`agentTurns.length + 1`); absent for
   * a call that is not an agent's. A retry of a failed turn keeps the turn's number in a new
   * `attempt`: attempts count every model call of the step, turns the exchanges that completed.
   */
  readonly turn?: number;
}

/** A tool the model may call: Claude Code's names and input fields (`Read {file_path, …}`). */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the tool's input object. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** One call of a tool the model asked for. `id` pairs it with its result (the provider's id, or made up). */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** What running a tool call gave back to the model; `isError` marks a refused or failed call. */
export interface ToolResult {
  readonly callId: string;
  readonly name: string;
  readonly content: string;
  readonly isError: boolean;
}

/**
 * One exchange of an agent's conversation after the task: what the model said and the tools it
 * called, then the results of those calls (sent as the next user turn).
 */
export interface AgentTurn {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly toolResults: readonly ToolResult[];
}

/** One earlier turn of a conversation. */
export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** Token counts of one call, as the provider reported them. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
}

/** What a provider returns: the text, and what it cost in tokens. */
export interface CompletionResult {
  readonly text: string;
  /** The model that answered, as the provider names it. */
  readonly model: string;
  readonly usage: TokenUsage;
  /** Why generation stopped (`end_turn`, `max_tokens`, `STOP`, …), when known. */
  readonly stopReason?: string;
  /** The tools the model asked to call, in order; absent or empty when it answered in text only. */
  readonly toolCalls?: readonly ToolCall[];
}

/**
 * A model provider. Implementations normalize every failure into a `ProviderError` whose `name` is
 * an `ErrorName`, and never retry on their own: Step Functions owns retrying.
 *
 * @example
 * const result = await provider.complete({ stepId: 'plan', attempt: 1, model: 'claude-sonnet-4-5',
 *   prompt: 'Plan the refactor', maxOutputTokens: 1024, timeoutMs: 60_000 });
 */
export interface Provider {
  readonly name: ProviderName;
  complete(request: CompletionRequest): Promise<CompletionResult>;
}

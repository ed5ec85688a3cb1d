import type {
  CompletionRequest,
  CompletionResult,
  Provider,
  TokenUsage,
} from '../../functions/ports/provider.js';

/**
 * A provider double that answers from a queue (an Error is thrown instead of answered) and records
 * every request it was sent; past the queue it answers `fallback`.
 */
export class QueueProvider implements Provider {
  readonly name = 'anthropic';
  readonly requests: CompletionRequest[] = [];

  constructor(
    private readonly answers: (string | Error)[],
    private readonly usage: TokenUsage = { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0 },
    private readonly fallback = 'default answer',
  ) {}

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    this.requests.push(request);
    const next = this.answers.shift() ?? this.fallback;
    if (next instanceof Error) throw next;
    return { text: next, model: request.model, usage: this.usage };
  }
}

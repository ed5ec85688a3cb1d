import type {
  CompletionRequest,
  CompletionResult,
  Provider,
  TokenUsage,
  ToolCall,
} from '../../../../functions/ports/provider.js';
import { cachedBundleLoader } from '../../../../functions/shared/bundle-loader.js';
import type { StepRunnerDeps } from '../../../../functions/step-runner/deps.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';

/** What a scripted agent turn answers: tool calls, a final text, or a thrown error. */
export type TurnAnswer =
  | { readonly calls: readonly Omit<ToolCall, 'id'>[] }
  | { readonly text: string }
  | { readonly error: Error };

/**
 * A provider double for agent steps: it answers each turn (`request.turn`) from its script, a list
 * per turn whose entries are used up one call at a time (the last repeats), and records every
 * request, so a test can count the model calls of each turn.
 */
export class TurnScriptProvider implements Provider {
  readonly name = 'anthropic';
  readonly requests: CompletionRequest[] = [];

  constructor(
    private readonly script: Readonly<Record<number, readonly TurnAnswer[]>>,
    private readonly usage: TokenUsage = { inputTokens: 100, outputTokens: 20, cachedInputTokens: 0 },
  ) {}

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    this.requests.push(request);
    const turn = request.turn ?? 0;
    const answers = this.script[turn] ?? [{ text: `no script for turn ${turn}` }];
    const asked = this.requests.filter((earlier) => earlier.turn === request.turn).length;
    const answer = answers[Math.min(asked, answers.length) - 1] as TurnAnswer;
    if ('error' in answer) throw answer.error;
    if ('text' in answer)
      return { text: answer.text, model: request.model, usage: this.usage, stopReason: 'end_turn' };
    return {
      text: '',
      model: request.model,
      usage: this.usage,
      stopReason: 'tool_use',
      toolCalls: answer.calls.map((call, index) => ({ id: `t${turn}_${index + 1}`, ...call })),
    };
  }

  /** How many model calls each turn took, by turn. */
  callsByTurn(): Record<number, number> {
    const counts: Record<number, number> = {};
    for (const request of this.requests) counts[request.turn ?? 0] = (counts[request.turn ?? 0] ?? 0) + 1;
    return counts;
  }
}

/** The step runner's deps over memory stores, every model family answered by `provider`. */
export function memoryDeps(provider: Provider, artifacts = new MemoryArtifactStore('bucket')) {
  const runs = new MemoryRunStore();
  const loadBundle = cachedBundleLoader(artifacts);
  const now = () => new Date();
  const deps = { artifacts, runs, providerFor: () => provider, loadBundle, now } satisfies StepRunnerDeps;
  return { deps, runs, artifacts };
}

/** The model family of an LLM step; selects the provider. */
export type ModelFamily = 'claude' | 'gemini';

/** Which provider answered (or failed) a call; `mock` for scripted answers and injected faults. */
export type ProviderName = 'anthropic' | 'gemini' | 'mock';

/**
 * How a model samples its answer. An LLM step's spec carries these (absent: the provider's default),
 * and the step runner passes them on in each completion request unchanged.
 */
export interface SamplingOptions {
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
}

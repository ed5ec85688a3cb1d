import type { ModelFamily } from './contract/models.js';

/** Short names a pipeline may write for a Claude model (`model: sonnet`). */
export const CLAUDE_MODEL_ALIASES: ReadonlyMap<string, string> = new Map([
  ['opus', 'claude-opus-4-8'],
  ['sonnet', 'claude-sonnet-4-6'],
  ['haiku', 'claude-haiku-4-5'],
]);

/** The model a step of each family gets when neither the step nor the pipeline defaults name one. */
export const DEFAULT_MODELS: Readonly<Record<ModelFamily, string>> = {
  claude: 'claude-sonnet-4-6',
  gemini: 'gemini-2.5-flash',
};

/**
 * The provider model id for a requested model: the family default when none is requested, a Claude
 * alias expanded, anything else passed through unchanged (the provider rejects an unknown id).
 *
 * @example
 * resolveModel('claude', 'opus'); // 'claude-opus-4-8'
 * resolveModel('gemini'); // 'gemini-2.5-flash'
 */
export function resolveModel(family: ModelFamily, requested?: string): string {
  if (!requested) return DEFAULT_MODELS[family];
  if (family === 'claude') return CLAUDE_MODEL_ALIASES.get(requested) ?? requested;
  return requested;
}

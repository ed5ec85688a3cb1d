import type { ProviderName } from '../../pipelines/contract/models.js';
import type { TokenUsage } from '../ports/provider.js';

/**
 * Version of {@link PRICE_TABLE}. Every attempt record stores it beside its cost, so a cost stays
 * explainable after the prices change; bump it whenever a price does.
 */
export const PRICE_TABLE_VERSION = '2026-11';

/** List prices of one model, in USD per million tokens. */
export interface ModelPrice {
  readonly inputUsdPerMTok: number;
  readonly outputUsdPerMTok: number;
  /** Price of an input token served from the prompt cache (a cache read). */
  readonly cachedInputUsdPerMTok: number;
}

/**
 * List prices by provider model id. Gemini 2.5 Pro is priced at its tier for prompts up to 200k
 * tokens; Anthropic's cache writes are priced as plain input (their 1.25× surcharge is not modelled).
 */
export const PRICE_TABLE: ReadonlyMap<string, ModelPrice> = new Map([
  ['claude-opus-4-8', { inputUsdPerMTok: 5, outputUsdPerMTok: 25, cachedInputUsdPerMTok: 0.5 }],
  ['claude-opus-4-5', { inputUsdPerMTok: 5, outputUsdPerMTok: 25, cachedInputUsdPerMTok: 0.5 }],
  ['claude-sonnet-5', { inputUsdPerMTok: 3, outputUsdPerMTok: 15, cachedInputUsdPerMTok: 0.3 }],
  ['claude-sonnet-4-6', { inputUsdPerMTok: 3, outputUsdPerMTok: 15, cachedInputUsdPerMTok: 0.3 }],
  ['claude-sonnet-4-5', { inputUsdPerMTok: 3, outputUsdPerMTok: 15, cachedInputUsdPerMTok: 0.3 }],
  ['claude-haiku-4-5', { inputUsdPerMTok: 1, outputUsdPerMTok: 5, cachedInputUsdPerMTok: 0.1 }],
  ['gemini-2.5-pro', { inputUsdPerMTok: 1.25, outputUsdPerMTok: 10, cachedInputUsdPerMTok: 0.125 }],
  ['gemini-2.5-flash', { inputUsdPerMTok: 0.3, outputUsdPerMTok: 2.5, cachedInputUsdPerMTok: 0.03 }],
  ['gemini-2.5-flash-lite', { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.4, cachedInputUsdPerMTok: 0.01 }],
]);

/** The cost of one call, and whether the model was in the price table. */
export interface UsagePrice {
  readonly costUsd: number;
  /** False when the model is unknown to the table; `costUsd` is then 0, not an estimate. */
  readonly priced: boolean;
}

/**
 * Prices token usage at list price. `usage.inputTokens` counts only input tokens billed at the full
 * input rate (prompt-cache reads are excluded and counted in `cachedInputTokens`), so the three counts
 * add up to the whole prompt plus the output, and each is priced once. Both adapters report usage
 * this way. A dated snapshot id (`claude-sonnet-4-5-20250929`) or a `models/` prefix is priced as
 * its base model.
 *
 * @example
 * priceUsage('claude-sonnet-4-5', { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 0 });
 * // { costUsd: 0.0105, priced: true }
 */
export function priceUsage(model: string, usage: TokenUsage): UsagePrice {
  const price = PRICE_TABLE.get(baseModelId(model));
  if (!price) return { costUsd: 0, priced: false };
  const microUsd =
    usage.inputTokens * price.inputUsdPerMTok +
    usage.outputTokens * price.outputUsdPerMTok +
    usage.cachedInputTokens * price.cachedInputUsdPerMTok;
  // Rounded to a nano-dollar so sums of float products do not print as 0.010500000000000001.
  return { costUsd: Math.round(microUsd * 1000) / 1e9, priced: true };
}

/**
 * Prices one attempt of a step: the function the step runner calls. The `mock` provider costs
 * nothing whatever model it was asked for, so a mock run reports `costUsd: 0` (`priced: true`, the
 * cost is known); real providers are priced by {@link priceUsage}.
 *
 * @example
 * priceAttempt(provider.name, result.model, result.usage);
 */
export function priceAttempt(provider: ProviderName, model: string, usage: TokenUsage): UsagePrice {
  if (provider === 'mock') return { costUsd: 0, priced: true };
  return priceUsage(model, usage);
}

/** The table key of a model id as a provider reports it. */
function baseModelId(model: string): string {
  return model.replace(/^models\//, '').replace(/-\d{8}$/, '');
}

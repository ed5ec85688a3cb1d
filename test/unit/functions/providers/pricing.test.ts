import { describe, expect, it } from 'vitest';
import type { TokenUsage } from '../../../../functions/ports/provider.js';
import { PRICE_TABLE_VERSION, priceAttempt, priceUsage } from '../../../../functions/providers/pricing.js';

const MILLION: TokenUsage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 1_000_000 };

describe('priceUsage', () => {
  it('is versioned', () => {
    // Assess
    expect(PRICE_TABLE_VERSION).toBe('2026-11');
  });

  it.each([
    { model: 'claude-opus-4-5', input: 5, output: 25, cached: 0.5 },
    { model: 'claude-sonnet-4-5', input: 3, output: 15, cached: 0.3 },
    { model: 'claude-haiku-4-5', input: 1, output: 5, cached: 0.1 },
    { model: 'gemini-2.5-pro', input: 1.25, output: 10, cached: 0.125 },
    { model: 'gemini-2.5-flash', input: 0.3, output: 2.5, cached: 0.03 },
    { model: 'gemini-2.5-flash-lite', input: 0.1, output: 0.4, cached: 0.01 },
  ])(
    'prices $model at $input / $output / $cached USD per million tokens',
    ({ model, input, output, cached }) => {
      // Act
      const inputOnly = priceUsage(model, { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 });
      const outputOnly = priceUsage(model, { inputTokens: 0, outputTokens: 1_000_000, cachedInputTokens: 0 });
      const cachedOnly = priceUsage(model, { inputTokens: 0, outputTokens: 0, cachedInputTokens: 1_000_000 });

      // Assess
      expect([inputOnly, outputOnly, cachedOnly]).toEqual([
        { costUsd: input, priced: true },
        { costUsd: output, priced: true },
        { costUsd: cached, priced: true },
      ]);
    },
  );

  it('adds the three kinds of tokens, each at its own rate', () => {
    // Act
    const price = priceUsage('claude-sonnet-4-5', {
      inputTokens: 1000,
      outputTokens: 500,
      cachedInputTokens: 2000,
    });

    // Assess
    expect(price).toEqual({ costUsd: 0.0111, priced: true });
  });

  it.each(['claude-sonnet-4-5-20250929', 'models/gemini-2.5-flash'])(
    'prices %s as its base model',
    (model) => {
      // Act
      const price = priceUsage(model, MILLION);

      // Assess
      expect(price.priced).toBe(true);
      expect(price.costUsd).toBeGreaterThan(0);
    },
  );

  it('reports an unknown model as unpriced, at 0', () => {
    // Act
    const price = priceUsage('gpt-imaginary', MILLION);

    // Assess
    expect(price).toEqual({ costUsd: 0, priced: false });
  });
});

describe('priceAttempt', () => {
  it('prices a mock attempt at 0 whatever model it names', () => {
    // Act
    const price = priceAttempt('mock', 'claude-opus-4-5', MILLION);

    // Assess
    expect(price).toEqual({ costUsd: 0, priced: true });
  });

  it.each([
    { provider: 'anthropic', model: 'claude-opus-4-5' },
    { provider: 'gemini', model: 'gemini-2.5-pro' },
  ] as const)('prices a $provider attempt from the table', ({ provider, model }) => {
    // Act
    const price = priceAttempt(provider, model, MILLION);

    // Assess
    expect(price).toEqual(priceUsage(model, MILLION));
  });
});

import { describe, expect, it } from 'vitest';
import { resolveModel } from '../../../pipelines/models.js';

describe('resolveModel', () => {
  it.each([
    { family: 'claude', requested: undefined, model: 'claude-sonnet-4-6' },
    { family: 'gemini', requested: undefined, model: 'gemini-2.5-flash' },
    { family: 'claude', requested: 'opus', model: 'claude-opus-4-8' },
    { family: 'claude', requested: 'sonnet', model: 'claude-sonnet-4-6' },
    { family: 'claude', requested: 'haiku', model: 'claude-haiku-4-5' },
    { family: 'claude', requested: 'claude-opus-4-5-20251101', model: 'claude-opus-4-5-20251101' },
    { family: 'gemini', requested: 'gemini-2.5-pro', model: 'gemini-2.5-pro' },
    { family: 'gemini', requested: 'sonnet', model: 'sonnet' },
    { family: 'claude', requested: 'toString', model: 'toString' },
  ] as const)('resolves $family $requested to $model', ({ family, requested, model }) => {
    // Act
    const resolved = resolveModel(family, requested);

    // Assess
    expect(resolved).toBe(model);
  });
});

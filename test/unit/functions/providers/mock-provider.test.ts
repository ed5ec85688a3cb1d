import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CompletionRequest } from '../../../../functions/ports/provider.js';
import { MockProvider } from '../../../../functions/providers/mock-provider.js';
import { loadMockScript, MOCK_ERRORS } from '../../../../functions/providers/mock-script.js';

const REQUEST: CompletionRequest = {
  stepId: 'plan',
  attempt: 1,
  model: 'claude-sonnet-4-5',
  system: 'You are terse.',
  prompt: 'Plan the refactor of the billing module\nKeep it short.',
  maxOutputTokens: 256,
  timeoutMs: 5_000,
};

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'elexirion-mock-provider-'));
});

afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

async function providerWithScript(text: string): Promise<MockProvider> {
  const path = join(dir, 'script.yaml');
  await writeFile(path, text);
  return new MockProvider({ script: await loadMockScript(path) });
}

describe('MockProvider without a script', () => {
  it('answers with a stable text derived from the prompt', async () => {
    // Prepare
    const provider = new MockProvider();

    // Act
    const first = await provider.complete(REQUEST);
    const again = await new MockProvider().complete({ ...REQUEST, attempt: 2 });

    // Assess
    expect(first.text).toMatch(
      /^\[mock claude-sonnet-4-5\] [0-9a-f]{12} Plan the refactor of the billing module$/,
    );
    expect(again).toEqual(first);
  });

  it.each([
    { change: 'the prompt', request: { ...REQUEST, prompt: 'Plan the refactor of the invoices module' } },
    { change: 'the system prompt', request: { ...REQUEST, system: 'You are verbose.' } },
    {
      change: 'the earlier turns',
      request: {
        ...REQUEST,
        messages: [
          { role: 'user' as const, content: 'Hi' },
          { role: 'assistant' as const, content: 'Hello' },
        ],
      },
    },
  ])('answers differently when $change changes', async ({ request }) => {
    // Prepare
    const provider = new MockProvider();

    // Act
    const [before, after] = await Promise.all([provider.complete(REQUEST), provider.complete(request)]);

    // Assess
    expect(after.text).not.toBe(before.text);
  });

  it('answers a request with an output schema with JSON that conforms to it', async () => {
    // Prepare
    const outputSchema = {
      type: 'object',
      required: ['severity', 'tags'],
      properties: {
        severity: { enum: ['high', 'low'] },
        tags: { type: 'array', minItems: 2, items: { type: 'string' } },
      },
    };

    // Act
    const { text } = await new MockProvider().complete({ ...REQUEST, outputSchema });

    // Assess
    expect(JSON.parse(text)).toEqual({ severity: 'high', tags: ['mock', 'mock'] });
  });

  it('echoes at most 60 characters of the first line', async () => {
    // Prepare
    const provider = new MockProvider();

    // Act
    const result = await provider.complete({ ...REQUEST, prompt: 'x'.repeat(100) });

    // Assess
    expect(result.text.endsWith(` ${'x'.repeat(60)}…`)).toBe(true);
  });

  it('reports the model it was asked for and estimates tokens as characters / 4', async () => {
    // Prepare
    const provider = new MockProvider();

    // Act
    const result = await provider.complete({
      ...REQUEST,
      model: 'gemini-2.5-pro',
      system: 'abc',
      prompt: 'defgh',
    });

    // Assess
    expect(provider.name).toBe('mock');
    expect(result.model).toBe('gemini-2.5-pro');
    expect(result.usage).toEqual({
      inputTokens: 2,
      outputTokens: Math.ceil(result.text.length / 4),
      cachedInputTokens: 0,
    });
  });

  it('waits latencyMs before answering', async () => {
    // Prepare
    vi.useFakeTimers();
    const provider = new MockProvider({ latencyMs: 1_000 });
    let settled = false;

    // Act
    const call = provider.complete(REQUEST).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    const settledEarly = settled;
    await vi.advanceTimersByTimeAsync(1);
    await call;

    // Assess
    expect(settledEarly).toBe(false);
    expect(settled).toBe(true);
  });
});

describe('MockProvider with a script', () => {
  it('answers by attempt and repeats the last answer', async () => {
    // Prepare
    const provider = await providerWithScript('plan: [first, second]\n');

    // Act
    const texts = [];
    for (const attempt of [1, 2, 3]) texts.push((await provider.complete({ ...REQUEST, attempt })).text);

    // Assess
    expect(texts).toEqual(['first', 'second', 'second']);
  });

  it('answers structured output as its JSON text', async () => {
    // Prepare
    const provider = await providerWithScript('plan:\n  - {summary: done, files: [a.ts]}\n');

    // Act
    const result = await provider.complete(REQUEST);

    // Assess
    expect(JSON.parse(result.text)).toEqual({ summary: 'done', files: ['a.ts'] });
  });

  it('answers a step the script does not name as if there were no script', async () => {
    // Prepare
    const provider = await providerWithScript('review: [LGTM]\n');

    // Act
    const [scripted, unscripted] = await Promise.all([
      provider.complete(REQUEST),
      new MockProvider().complete(REQUEST),
    ]);

    // Assess
    expect(scripted).toEqual(unscripted);
  });

  it.each(Object.entries(MOCK_ERRORS))(
    'throws %s as %s on its attempt only',
    async (mockError, errorName) => {
      // Prepare
      const provider = await providerWithScript(`plan:\n  - {"$error": ${mockError}}\n  - recovered\n`);

      // Act
      const failing = provider.complete(REQUEST);
      const retried = await provider.complete({ ...REQUEST, attempt: 2 });

      // Assess
      await expect(failing).rejects.toMatchObject({
        name: errorName,
        provider: 'mock',
        model: REQUEST.model,
      });
      expect(retried.text).toBe('recovered');
    },
  );
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentTurn, CompletionRequest } from '../../../../functions/ports/provider.js';
import { MockProvider } from '../../../../functions/providers/mock-provider.js';
import { loadMockScript, MOCK_ERRORS } from '../../../../functions/providers/mock-script.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';

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

describe('MockProvider in an agent loop', () => {
  const AGENT: CompletionRequest = {
    ...REQUEST,
    tools: [{ name: 'Edit', description: 'Edits a file.', inputSchema: { type: 'object' } }],
    turn: 1,
  };

  /** The turn a runner would record after `result`, each call answered `ok`. */
  function turnAfter(result: { text: string; toolCalls?: AgentTurn['toolCalls'] }): AgentTurn {
    const toolCalls = result.toolCalls ?? [];
    const toolResults = toolCalls.map((call) => ({
      callId: call.id,
      name: call.name,
      content: 'ok',
      isError: false,
    }));
    return { text: result.text, toolCalls, toolResults };
  }

  it('answers a $tool_calls turn with those calls, then the next response in the next turn', async () => {
    // Prepare
    const provider = await providerWithScript(
      [
        'plan:',
        '  - $tool_calls:',
        '      - {name: Edit, input: {file_path: a.ts, old_string: x, new_string: y}}',
        '      - {name: Edit, input: {file_path: b.ts, old_string: x, new_string: y}}',
        '  - $tool_calls: [{name: Read, input: {file_path: a.ts}}]',
        '  - refactored',
        '',
      ].join('\n'),
    );

    // Act
    const first = await provider.complete(AGENT);
    // Each turn is a new attempt of the step, as the step runner numbers them
    const second = await provider.complete({ ...AGENT, attempt: 2, turn: 2, agentTurns: [turnAfter(first)] });
    const third = await provider.complete({
      ...AGENT,
      attempt: 3,
      turn: 3,
      agentTurns: [turnAfter(first), turnAfter(second)],
    });

    // Assess: ids count over the conversation, so they pair each result with one call
    expect(first).toMatchObject({
      text: '',
      stopReason: 'tool_use',
      toolCalls: [
        { id: 'mock_1', name: 'Edit', input: { file_path: 'a.ts', old_string: 'x', new_string: 'y' } },
        { id: 'mock_2', name: 'Edit', input: { file_path: 'b.ts', old_string: 'x', new_string: 'y' } },
      ],
    });
    expect(first.usage.outputTokens).toBeGreaterThan(0);
    expect(second.toolCalls).toEqual([{ id: 'mock_3', name: 'Read', input: { file_path: 'a.ts' } }]);
    expect(third).toMatchObject({ text: 'refactored', stopReason: 'end_turn' });
    expect(third.toolCalls).toBeUndefined();
  });

  it('counts a retried turn as a model call: $error, then $tool_calls, then text', async () => {
    // Prepare
    const provider = await providerWithScript(
      'plan:\n  - {$error: rate_limit}\n  - $tool_calls: [{name: Edit, input: {file_path: a.ts}}]\n  - done\n',
    );

    // Act: turn 1 is throttled in attempt 1, retried in attempt 2, and turn 2 is attempt 3
    const throttled = provider.complete(AGENT);
    const retried = await provider.complete({ ...AGENT, attempt: 2 });
    const next = await provider.complete({ ...AGENT, attempt: 3, turn: 2, agentTurns: [turnAfter(retried)] });

    // Assess
    await expect(throttled).rejects.toMatchObject({
      name: ErrorName.ProviderRateLimited,
      message: expect.stringContaining('for step "plan" attempt 1 turn 1'),
    });
    expect(retried.toolCalls).toEqual([{ id: 'mock_1', name: 'Edit', input: { file_path: 'a.ts' } }]);
    expect(next.text).toBe('done');
  });

  it('refuses $tool_calls for a call that is not an agent turn', async () => {
    // Prepare
    const provider = await providerWithScript('plan:\n  - $tool_calls: [{name: Edit, input: {}}]\n');

    // Act
    const call = provider.complete(REQUEST);

    // Assess
    await expect(call).rejects.toMatchObject({
      name: ErrorName.ProviderInvalidRequest,
      message: expect.stringContaining('step "plan" attempt 1 for tool calls, but the step is not an agent'),
    });
  });

  it('makes no tool calls without a script', async () => {
    // Prepare
    const provider = new MockProvider();

    // Act
    const result = await provider.complete(AGENT);

    // Assess
    expect(result.text).toMatch(/^\[mock claude-sonnet-4-5\] [0-9a-f]{12} Plan the refactor/);
    expect(result.toolCalls).toBeUndefined();
  });
});

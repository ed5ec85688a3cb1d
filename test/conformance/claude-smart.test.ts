import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { compileLines, load, located } from './harness.js';
import { allStates, runLlmLines } from './llm-harness.js';

/**
 * `claude_smart` (reference §5.5, §13.2): a preset gives model, output tokens and timeout; the step
 * preset wins over `defaults.claude_preset`, which wins over `environment.mode` (with
 * `environment_aware`), which wins over `development`; `claude_options` win over the preset.
 */

function smart(workflow: string[], step: string[]): string[] {
  return [
    'workflow:',
    '  name: smart_flow',
    ...workflow,
    '  steps:',
    '    - name: answer',
    '      type: claude_smart',
    ...step,
    '      prompt: [{type: static, content: Say hello.}]',
  ];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('claude_smart', () => {
  it('runs with its preset: model, output tokens, timeout and the Task timeout', async () => {
    // Act
    const result = await runLlmLines(stack, smart([], ['      preset: analysis']));

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.bundle.steps.answer).toMatchObject({
      model: 'claude-opus-4-8',
      maxOutputTokens: 8192,
      timeoutMs: 180_000,
      preset: 'analysis',
    });
    expect(allStates(result.asl).answer?.TimeoutSeconds).toBe(210);
    expect(result.attempts.map((a) => a.model)).toEqual(['claude-opus-4-8']);
    expect(result.json.outputs.answer).toMatch(/^\[mock claude-opus-4-8\] [0-9a-f]{12} Say hello\.$/);
  });

  it.each([
    [
      'the step preset over defaults',
      ['  defaults: {claude_preset: chat}'],
      ['      preset: analysis'],
      'analysis',
    ],
    [
      'defaults over the environment',
      ['  defaults: {claude_preset: chat}', '  environment: {mode: production}'],
      ['      environment_aware: true'],
      'chat',
    ],
    [
      'the environment when environment_aware',
      ['  environment: {mode: production}'],
      ['      environment_aware: true'],
      'production',
    ],
    [
      'development when the environment is not asked',
      ['  environment: {mode: production}'],
      [],
      'development',
    ],
  ])('resolves %s', async (_, workflow, step, preset) => {
    const { bundle } = await compileLines(smart(workflow, step));

    expect(bundle.steps.answer).toMatchObject({ preset });
  });

  it('merges claude_options over the preset, and a production preset falls back to sonnet', async () => {
    const result = await runLlmLines(
      stack,
      smart(
        [],
        ['      preset: production', '      claude_options: {max_tokens: 100, system_prompt: Be terse.}'],
      ),
      { script: { answer: [{ $error: 'overloaded' }] } },
    );

    expect(result.bundle.steps.answer).toMatchObject({
      model: 'claude-opus-4-8',
      maxOutputTokens: 100,
      timeoutMs: 120_000,
      system: 'Be terse.',
      fallback: { model: 'claude-sonnet-4-6', actions: [] },
    });
    // Overload on every attempt: the retries, then the fallback model's, and the run fails
    expect(result.run.status).toBe('FAILED');
    expect(result.entered).toContain('answer.FallbackModel');
  });

  it.each([
    [
      'an unknown preset',
      [],
      ['      preset: fast'],
      'INVALID_VALUE@6:15',
      'development, production, analysis, chat, test',
    ],
    [
      'an unknown environment mode',
      ['  environment: {mode: staging}'],
      [],
      'INVALID_VALUE@3:23',
      'development, production, test',
    ],
  ])('rejects %s, listing the valid values', async (_, workflow, step, expected, valid) => {
    const result = await load(smart(workflow, step));

    expect(located(result)).toEqual([expected]);
    expect(result.issues[0]?.hint).toContain(valid);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { load, located } from './harness.js';
import { allStates, artifactOf, runLlmLines } from './llm-harness.js';

/**
 * `parallel_claude` (reference §5.3): one Parallel branch per task, each with a timeout (pipeline_ex
 * waited forever: defect 20) and its own status, reading earlier steps' results, consolidated into
 * one result with pipeline_ex's `individual_results` (as JSON, not inspect() dumps: defect 10).
 */

const LINES = [
  'workflow:',
  '  name: fan_out',
  '  steps:',
  '    - name: brief',
  '      type: gemini',
  '      prompt: [{type: static, content: Write a brief.}]',
  '    - name: takes',
  '      type: parallel_claude',
  '      parallel_tasks:',
  '        - id: security',
  '          claude_options: {model: haiku, timeout_ms: 20000}',
  '          prompt: [{type: static, content: "Security view of {{steps.brief.text}}"}]',
  '        - id: cost',
  '          prompt: [{type: previous_response, step: brief}]',
  '    - name: merge',
  '      type: claude',
  '      prompt: [{type: static, content: "{{steps.takes.text}}"}]',
];

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('parallel_claude', () => {
  it('runs each task in its own branch with a timeout, and consolidates their results', async () => {
    // Act
    const result = await runLlmLines(stack, LINES, {
      script: { 'takes.cost': [{ $error: 'server_error' }] },
    });

    // Assess: the states
    expect(result.run.status).toBe('SUCCEEDED');
    const states = allStates(result.asl);
    expect(states.takes).toMatchObject({ Type: 'Parallel', Next: 'takes.Consolidate' });
    expect(states['takes.security']?.TimeoutSeconds).toBe(50);
    expect(states['takes.cost']?.TimeoutSeconds).toBe(150);
    expect(result.bundle.steps['takes.security']).toMatchObject({
      model: 'claude-haiku-4-5',
      timeoutMs: 20_000,
    });

    // Assess: one task failed after its retries; the other's result and status are consolidated
    expect(result.attempts.filter((a) => a.stepId === 'takes.cost')).toHaveLength(4);
    expect(result.json.outputs.takes).toMatchObject({
      total_tasks: 2,
      successful_tasks: 1,
      failed_tasks: 1,
      individual_results: {
        security: { status: 'success', text: expect.stringContaining('Security view of') },
        cost: { status: 'error', error: 'Provider.ServerError' },
      },
    });
    expect(result.json.steps.find((s) => s.name === 'takes')).toMatchObject({
      degraded: true,
      degradedReason: 'failed_tasks',
    });
    const merge = await artifactOf(result, 'merge');
    expect(merge.request.prompt).toContain('## security\n');
    expect(merge.request.prompt).toContain('## cost\n[error: Provider.ServerError]');
  });

  it.each([
    ['no parallel_tasks', ['    - name: p', '      type: parallel_claude'], 'MISSING_FIELD@4:7'],
    [
      'a task without id',
      [
        '    - name: p',
        '      type: parallel_claude',
        '      parallel_tasks:',
        '        - prompt: [{type: static, content: x}]',
      ],
      'MISSING_FIELD@7:11',
    ],
    [
      "a task's documented-only condition",
      [
        '    - name: p',
        '      type: parallel_claude',
        '      parallel_tasks:',
        '        - {id: a, condition: "x", prompt: [{type: static, content: x}]}',
      ],
      'UNKNOWN_FIELD@7:19',
    ],
  ])('rejects %s', async (_, step, expected) => {
    const result = await load(['workflow:', '  name: x', '  steps:', ...step]);

    expect(located(result)).toEqual([expected]);
  });
});

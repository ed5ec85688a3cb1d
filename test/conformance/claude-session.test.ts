import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { load, located } from './harness.js';
import { artifactOf, runLlmLines } from './llm-harness.js';

/**
 * `claude_session` (reference §5.6): a conversation stored in S3 under the tenant and the session
 * name (pipeline_ex kept it in process memory: defect 24), continued by every step that names it, in
 * this run and the next; `session_context` parts render its turns; `claude_continue` is rejected.
 */

function sessions(persist = true): string[] {
  return [
    'workflow:',
    '  name: tutor',
    '  steps:',
    '    - name: ask',
    '      type: claude_session',
    `      session_config: {session_name: math_tutor, persist: ${persist}}`,
    '      prompt: [{type: static, content: What is 5 + 3?}]',
    '    - name: follow_up',
    '      type: claude_session',
    `      session_config: {session_name: math_tutor, persist: ${persist}, max_turns: 2}`,
    '      prompt: [{type: static, content: What did I ask before?}]',
    '    - name: recap',
    '      type: gemini',
    '      prompt:',
    '        - type: static',
    '          content: "Summarize this tutoring session:"',
    '        - {type: session_context, session_id: math_tutor, include_last_n: 1}',
  ];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('claude_session', () => {
  it('sends the earlier turns, stores each new one, and continues in the next run', async () => {
    // Act
    const first = await runLlmLines(stack, sessions(), {
      tenantId: 'tutoring',
      script: { ask: ['8.'], follow_up: ['You asked 5 + 3.'] },
    });
    const second = await runLlmLines(stack, sessions(), { tenantId: 'tutoring' });

    // Assess: in the first run, the follow-up carries the first exchange as messages
    expect(first.run.status).toBe('SUCCEEDED');
    expect(first.bundle.steps.ask).toMatchObject({
      preset: 'analysis',
      session: { name: 'math_tutor', scope: 'tenant' },
    });
    expect((await artifactOf(first, 'ask')).request.messages).toBeUndefined();
    expect((await artifactOf(first, 'follow_up')).request.messages).toEqual([
      { role: 'user', content: 'What is 5 + 3?' },
      { role: 'assistant', content: '8.' },
    ]);
    const recap = await artifactOf(first, 'recap');
    expect(recap.request.prompt).toBe(
      'Summarize this tutoring session:\nUser: What did I ask before?\n\nAssistant: You asked 5 + 3.',
    );

    // Assess: the next run starts where the first ended, the follow-up sending at most 2 turns
    expect((await artifactOf(second, 'ask')).request.messages).toHaveLength(4);
    expect((await artifactOf(second, 'follow_up')).request.messages?.map((m) => m.content)).toEqual([
      'What did I ask before?',
      'You asked 5 + 3.',
      'What is 5 + 3?',
      expect.stringMatching(/^\[mock claude-opus-4-8\]/),
    ]);
    const turns = await first.stores.artifacts.list('tenants/tutoring/sessions/math_tutor/turns/');
    expect(turns.map((key) => key.split('/').at(-1)?.slice(0, 6))).toEqual([
      '000000',
      '000001',
      '000002',
      '000003',
    ]);
  });

  it('keeps a session with persist: false to one run', async () => {
    await runLlmLines(stack, sessions(false), { tenantId: 'scoped' });
    const second = await runLlmLines(stack, sessions(false), { tenantId: 'scoped' });

    expect((await artifactOf(second, 'ask')).request.messages).toBeUndefined();
    expect(second.bundle.steps.follow_up).toMatchObject({ session: { scope: 'run', maxTurns: 2 } });
  });

  it.each([
    [
      'a claude_continue part, with a hint',
      [
        '    - name: c',
        '      type: claude',
        '      prompt:',
        '        - {type: claude_continue, session_id: s}',
      ],
      'UNKNOWN_PART_TYPE@7:18',
    ],
    [
      "pipeline_ex's documented-only continue_session",
      [
        '    - name: c',
        '      type: claude_session',
        '      session_config: {continue_session: true}',
        '      prompt: [{type: static, content: x}]',
      ],
      'UNKNOWN_FIELD@6:24',
    ],
  ])('rejects %s', async (_, step, expected) => {
    const result = await load(['workflow:', '  name: x', '  steps:', ...step]);

    expect(located(result)).toEqual([expected]);
    if (expected.startsWith('UNKNOWN_PART_TYPE')) expect(result.issues[0]?.hint).toContain('claude_session');
  });
});

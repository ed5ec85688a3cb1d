import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { loadPipeline } from '../../pipelines/loader.js';
import { located, runFile, writeFixtures } from './data-harness.js';

/**
 * `test_echo` (reference §5.13): returns its value as `{{steps.NAME.result}}`, typed; a Pass state
 * when ASL alone can compute it, the step runner when it reads step outputs or calls a function;
 * `fail: true` or `"__FAIL__"` fails with Step.EchoFailed.
 */

const PIPELINE = [
  'workflow:',
  '  name: echoes',
  '  inputs:',
  '    count: {type: integer, default: 4}',
  '    who: {type: string, default: Ada}',
  '  global_vars:',
  '    tone: dry',
  '  steps:',
  '    - name: literal',
  '      type: test_echo',
  '      value: {nested: {list: [1, 2, 3], "odd.$": kept}, flag: true}',
  '    - name: typed',
  '      type: test_echo',
  '      value: "{{inputs.count}}"',
  '    - name: mixed',
  '      type: test_echo',
  '      value: "Hi {{inputs.who}}, {{global_vars.tone}} as ever"',
  '    - name: defaulted',
  '      type: test_echo',
  '    - name: reads_steps',
  '      type: test_echo',
  '      value:',
  '        first: "{{steps.literal.result.nested.list}}"',
  '        text: "count={{steps.typed.result}}"',
  '        doubled: "{{multiply(inputs.count, 2)}}"',
];

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('test_echo', () => {
  it('returns each value as {result}, typed, from Pass states or the step runner', async () => {
    // Prepare
    const dir = await writeFixtures({ 'echo.yaml': PIPELINE });

    // Act
    const { run, result, calls, compiled } = await runFile(stack, join(dir, 'echo.yaml'));

    // Assess: outputs
    expect(run.status).toBe('SUCCEEDED');
    expect(await result('literal')).toEqual({
      result: { nested: { list: [1, 2, 3], 'odd.$': 'kept' }, flag: true },
    });
    expect(await result('typed')).toEqual({ result: 4 });
    expect(await result('mixed')).toEqual({ result: 'Hi Ada, dry as ever' });
    expect(await result('defaulted')).toEqual({ result: 'default_echo' });
    expect(await result('reads_steps')).toEqual({
      result: { first: [1, 2, 3], text: 'count=4', doubled: 8 },
    });
    // Assess: the states emitted — only the echo that reads step outputs calls the runner, once
    const states = compiled.asl.States as Record<string, { Type: string; Result?: unknown }>;
    expect(['literal', 'typed', 'mixed', 'defaulted'].map((name) => states[name]?.Type)).toEqual([
      'Pass',
      'Pass',
      'Pass',
      'Pass',
    ]);
    expect(states.literal?.Result).toEqual({
      result: { nested: { list: [1, 2, 3], 'odd.$': 'kept' }, flag: true },
    });
    expect(states.reads_steps?.Type).toBe('Task');
    expect(calls).toEqual(['reads_steps']);
  });

  it.each([
    ['fail: true', ['      fail: true', '      error_message: "boom on purpose"'], 'boom on purpose'],
    ['value: __FAIL__', ['      value: __FAIL__'], 'test_echo failed'],
  ])(
    '%s fails the step with Step.EchoFailed, not retried, and the run with it',
    async (_case, fields, cause) => {
      // Prepare
      const dir = await writeFixtures({
        'fail.yaml': [
          'workflow:',
          '  name: failing',
          '  steps:',
          '    - name: first',
          '      type: test_echo',
          '    - name: broken',
          '      type: test_echo',
          ...fields,
          '    - name: never',
          '      type: test_echo',
        ],
      });

      // Act
      const { run, entered, calls, compiled } = await runFile(stack, join(dir, 'fail.yaml'));

      // Assess
      expect((compiled.asl.States as Record<string, { Type: string }>).broken?.Type).toBe('Task');
      expect(compiled.bundle.steps.broken).toMatchObject({ kind: 'test_echo', failMessage: cause });
      expect(run).toMatchObject({ status: 'FAILED', error: { name: 'Step.EchoFailed', message: cause } });
      expect(entered).toEqual(['_Initialize', 'first', 'broken']);
      expect(calls).toEqual(['broken']);
    },
  );

  it('fails with Step.EchoFailed when the runner evaluates a value to __FAIL__', async () => {
    // Prepare
    const dir = await writeFixtures({
      'late.yaml': [
        'workflow:',
        '  name: late_fail',
        '  steps:',
        '    - name: word',
        '      type: test_echo',
        '      value: __FA',
        '    - name: echo',
        '      type: test_echo',
        '      value: "{{steps.word.result}}IL__"',
      ],
    });

    // Act
    const { run } = await runFile(stack, join(dir, 'late.yaml'));

    // Assess
    expect(run).toMatchObject({ status: 'FAILED', error: { name: 'Step.EchoFailed' } });
  });

  it('rejects unknown fields and unknown references with their positions', async () => {
    // Prepare
    const dir = await writeFixtures({
      'bad.yaml': [
        'workflow:',
        '  name: bad_echo',
        '  steps:',
        '    - name: a',
        '      type: test_echo',
        '      value: "{{steps.later.result}}"',
        '      values: 3',
      ],
    });

    // Act
    const result = await loadPipeline(join(dir, 'bad.yaml'));

    // Assess
    expect(located(result)).toEqual(['UNKNOWN_FIELD@7:7']);
  });

  it('rejects a reference to a later step', async () => {
    // Prepare
    const dir = await writeFixtures({
      'forward.yaml': [
        'workflow:',
        '  name: forward',
        '  steps:',
        '    - name: a',
        '      type: test_echo',
        '      value: "{{steps.b.result}}"',
        '    - name: b',
        '      type: test_echo',
      ],
    });

    // Act
    const result = await loadPipeline(join(dir, 'forward.yaml'));

    // Assess
    expect(located(result)).toEqual(['FORWARD_REFERENCE@6:15']);
  });
});

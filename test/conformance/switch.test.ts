import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { load, located, runLines } from './harness.js';

/**
 * `switch` (documented by pipeline_ex, never built there): a Choice over the expression's value,
 * each case's steps, `default`, every branch rejoining at the next step, and `{branch}` recorded.
 */

const HEAD = [
  'workflow:',
  '  name: routing',
  '  inputs:',
  '    level: {type: string, default: high}',
  '  steps:',
];

function route(expression: string): string[] {
  return [
    '    - name: route',
    '      type: switch',
    `      expression: ${expression}`,
    '      cases:',
    '        high:',
    '          - name: page',
    '            type: claude',
    '            prompt: [{type: static, content: "Page the on-call: {{inputs.level}}"}]',
    '          - name: escalate',
    '            type: claude',
    '            prompt: [{type: static, content: "Escalate {{steps.page.text}}"}]',
    '        "2":',
    '          - name: two',
    '            type: claude',
    '            prompt: [{type: static, content: "two"}]',
    '      default:',
    '        - name: log',
    '          type: claude',
    '          prompt: [{type: static, content: "Log it"}]',
    '    - name: after',
    '      type: claude',
    '      condition: "steps.route.branch != \'default\'"',
    '      prompt: [{type: static, content: "Done: {{steps.route.branch}}"}]',
  ];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('switch', () => {
  it.each([
    ['a string case', 'high', ['page', 'escalate', 'after'], 'high'],
    ['no case: the default steps', 'low', ['log'], 'default'],
  ])('runs %s on a Choice over a state value, and every branch rejoins', async (_, level, calls, branch) => {
    // Act
    const result = await runLines(stack, [...HEAD, ...route('inputs.level')], { inputs: { level } });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.calls).toEqual(calls);
    expect(result.steps.route).toEqual({ branch });
    expect(result.entered[1]).toBe('route');
    expect(result.entered).toContain('after.Condition');
  });

  it('matches a number by the case key that spells it, on a value the step runner evaluates', async () => {
    // Act: an arithmetic expression is beyond a Choice rule; the runner computes it into the state
    const result = await runLines(stack, [...HEAD, ...route('"length(inputs.level) - 2"')], {
      inputs: { level: 'four' },
    });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.calls).toEqual(['route', 'two', 'after']);
    expect(result.steps.route).toEqual({ branch: '2' });
    expect(result.bundle.steps.route).toMatchObject({ kind: 'condition', mode: 'value' });
    expect(result.entered.slice(1, 4)).toEqual(['route', 'route.Choice', 'route.Case.2']);
  });

  it('routes on a field of a JSON answer, exposed to the Choice state', async () => {
    // Act
    const result = await runLines(
      stack,
      [
        ...HEAD,
        '    - name: triage',
        '      type: claude',
        '      prompt: [{type: static, content: "Classify"}]',
        ...route('triage.severity'),
      ],
      { script: { triage: [{ severity: 'high' }] } },
    );

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.calls).toEqual(['triage', 'page', 'escalate', 'after']);
    expect(result.bundle.steps.triage).toMatchObject({ exposeFields: ['severity'] });
  });
});

describe('switch load errors', () => {
  it('keeps case steps inside their case', async () => {
    // Act
    const result = await load([
      ...HEAD,
      ...route('inputs.level').map((line) => line.replace('Log it', '{{steps.two.text}}')),
      '    - name: last',
      '      type: claude',
      '      prompt: [{type: static, content: "{{steps.page.text}}"}]',
    ]);

    // Assess
    expect(located(result)).toEqual(['OUT_OF_SCOPE@24:45', 'OUT_OF_SCOPE@31:41']);
    expect(result.issues[1]?.hint).toContain('steps.route.branch');
  });

  it.each([
    ['an expression with a syntax error', '"inputs.level =="', 'BAD_CONDITION@8:33'],
    ['an unknown result field', undefined, 'UNKNOWN_REFERENCE@27:19'],
  ])('rejects %s', async (_, expression, expected) => {
    // Act
    const lines = route(expression ?? 'inputs.level').map((line) =>
      expression === undefined
        ? line.replace("steps.route.branch != 'default'", 'steps.route.case == 1')
        : line,
    );
    const result = await load([...HEAD, ...lines]);

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual([expected]);
  });
});

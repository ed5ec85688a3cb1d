import { describe, expect, it } from 'vitest';
import { positionOf } from '../../../pipelines/format-issues.js';
import { loadPipelineFromString } from '../../../pipelines/loader.js';
import { STEP_FIELDS, templateFieldsOf } from '../../../pipelines/template-fields.js';
import type { LoadResult } from '../../../pipelines/types.js';

/** Loads `steps` (YAML lines at step-list indentation) under a workflow with one input and one variable. */
async function load(steps: readonly string[]): Promise<LoadResult> {
  const lines = [
    'workflow:',
    '  name: refs',
    '  inputs:',
    '    topic: {type: string}',
    '  global_vars:',
    '    n: 1',
    '  steps:',
    ...steps,
  ];
  return loadPipelineFromString(`${lines.join('\n')}\n`, '/p.yaml');
}

function located(result: LoadResult): string[] {
  return result.issues.map((issue) => {
    const { line, col } = positionOf(result.source, issue.range[0]);
    return `${issue.code}@${line}:${col}`;
  });
}

const claude = (name: string, content: string, indent = '    ') => [
  `${indent}- name: ${name}`,
  `${indent}  type: claude`,
  `${indent}  prompt: [{type: static, content: "${content}"}]`,
];

describe('references in nested step lists', () => {
  it('lets a loop body read outer earlier steps, earlier siblings and loop.*, each iteration', async () => {
    const result = await load([
      ...claude('plan', 'Plan {{inputs.topic}}'),
      '    - name: each',
      '      type: for_loop',
      '      iterator: file',
      '      data_source: "{{steps.plan.files}}"',
      '      steps:',
      '        - name: remember',
      '          type: set_variable',
      '          variables: {current: "{{loop.file}}"}',
      ...claude(
        'review',
        '{{steps.plan.text}} {{global_vars.current}} {{loop.index}} {{loop.first}}',
        '        ',
      ),
      ...claude('fix', '{{steps.review.text}}', '        '),
      ...claude('after', '{{steps.each.total_items}} {{global_vars.n}}'),
    ]);
    expect(result.issues).toEqual([]);
  });

  it.each([
    ['a body step after the loop', claude('after', '{{steps.review.text}}'), 'OUT_OF_SCOPE@27:41'],
    [
      'a variable set in the body after the loop',
      claude('after', '{{global_vars.current}}'),
      'FORWARD_REFERENCE@27:41',
    ],
    ['loop.* after the loop', claude('after', '{{loop.file}}'), 'OUT_OF_SCOPE@27:41'],
    ['the loop itself from its body', [], 'FORWARD_REFERENCE@21:47', '{{steps.each.total_items}}'],
    ['a later body step', [], 'FORWARD_REFERENCE@21:47', '{{steps.fix.text}}'],
  ])('rejects %s', async (_, after, expected, inBody = '{{steps.plan.text}}') => {
    const result = await load([
      ...claude('plan', 'Plan'),
      '    - name: each',
      '      type: for_loop',
      '      iterator: file',
      '      data_source: "{{steps.plan.files}}"',
      '      steps:',
      '        - name: remember',
      '          type: set_variable',
      '          variables: {current: "{{loop.file}}"}',
      ...claude('review', `x ${inBody}`, '        '),
      ...claude('fix', '{{steps.review.text}}', '        '),
      ...after,
    ]);
    expect(located(result)).toEqual([expected]);
  });

  it('names steps uniquely across the whole file, nested lists included', async () => {
    const result = await load([
      ...claude('plan', 'x'),
      '    - name: route',
      '      type: switch',
      '      expression: inputs.topic',
      '      cases:',
      '        a:',
      ...claude('plan', 'y', '          '),
    ]);
    expect(located(result)).toEqual(['DUPLICATE_STEP@16:19']);
  });
});

describe('the template-field table', () => {
  it('covers the template-bearing fields of every step type that has them', () => {
    expect(Object.keys(STEP_FIELDS).sort()).toEqual(
      [
        'claude',
        'gemini',
        'claude_smart',
        'claude_extract',
        'claude_session',
        'claude_robust',
        'gemini_instructor',
        'claude_batch',
        'parallel_claude',
        'set_variable',
        'test_echo',
        'pipeline',
        'data_transform',
        'file_ops',
        'for_loop',
        'while_loop',
        'switch',
      ].sort(),
    );
  });

  it('finds strings at any depth, prompts given as a list or a string, and the step condition', () => {
    const step = {
      name: 'batch',
      type: 'claude_batch',
      condition: 'inputs.go',
      tasks: [
        { prompt: 'one {{inputs.a}}' },
        {
          prompt: [
            { type: 'static', content: 'two' },
            { type: 'previous_response', step: 'plan' },
          ],
        },
      ],
    };
    expect(
      [...templateFieldsOf(step, ['s'])].map((match) => `${match.rule.kind}:${match.path.join('.')}`),
    ).toEqual([
      'condition:s.condition',
      'template:s.tasks.0.prompt',
      'template:s.tasks.1.prompt.0.content',
      'step:s.tasks.1.prompt.1.step',
    ]);
    const echo = { name: 'e', type: 'test_echo', value: { a: ['{{inputs.x}}', 3] } };
    expect([...templateFieldsOf(echo, [])].map((match) => match.path.join('.'))).toEqual(['value.a.0']);
  });
});

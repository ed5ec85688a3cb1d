import { describe, expect, it } from 'vitest';
import { positionOf } from '../../../pipelines/format-issues.js';
import { loadPipelineFromString } from '../../../pipelines/loader.js';
import type { LoadResult } from '../../../pipelines/types.js';

/** Loads a workflow of `lines` (already indented under `workflow:`). */
function load(lines: readonly string[]): Promise<LoadResult> {
  return loadPipelineFromString(`workflow:\n${lines.join('\n')}\n`, '/pipelines/p.yaml');
}

/** Each issue as `CODE@LINE:COL`. */
function located(result: LoadResult): string[] {
  return result.issues.map((issue) => {
    const { line, col } = positionOf(result.source, issue.range[0]);
    return `${issue.code}@${line}:${col}`;
  });
}

const HEAD = ['  name: triage', '  inputs:', '    ticket: {type: string}', '  steps:'];
const CLASSIFY = [
  '    - name: classify',
  '      type: claude',
  '      prompt: [{type: static, content: "Classify {{inputs.ticket}}"}]',
];
const OPTIMIZE = [
  '      optimize:',
  '        inputs: {ticket: "{{inputs.ticket}}"}',
  '        outputs: {category: "a category"}',
];
const LATER = [
  '    - name: review',
  '      type: gemini',
  '      prompt: [{type: static, content: "Review"}]',
];

describe('evaluators and optimize at load time', () => {
  it('accepts a step that opts in, with evaluators of every kind', async () => {
    // Act
    const result = await load([
      ...HEAD,
      ...CLASSIFY,
      '      output_schema: {type: object}',
      '      evaluators:',
      '        - {type: output_schema}',
      '        - {type: contains, value: bill, field: category, ignore_case: true}',
      '        - {type: regex, pattern: "^b"}',
      '        - {type: json_path_equals, path: "$.category", equals: billing}',
      '        - {type: llm_judge, rubric: Names one category., model: haiku}',
      '        - {type: step_succeeded, step: review}',
      ...OPTIMIZE,
      '        metric: regex',
      '        optimizer: mipro_v2',
      '        budget: {max_demos: 2, trials: 6}',
      ...LATER,
    ]);

    // Assess
    expect(result.issues).toEqual([]);
  });

  it('MISSING_FIELD: a step that opts in without any evaluator', async () => {
    const result = await load([...HEAD, ...CLASSIFY, ...OPTIMIZE]);

    expect(located(result)).toEqual(['MISSING_FIELD@9:7']);
  });

  it('takes the workflow evaluators for a step that opts in', async () => {
    const result = await load([
      '  evaluators: [{type: contains, value: a}]',
      ...HEAD,
      ...CLASSIFY,
      ...OPTIMIZE,
      '        metric: contains',
    ]);

    expect(result.issues).toEqual([]);
  });

  it('UNKNOWN_REFERENCE: a metric no evaluator has, and step_succeeded of an earlier step', async () => {
    const result = await load([
      ...HEAD,
      ...LATER,
      ...CLASSIFY,
      '      evaluators: [{type: step_succeeded, step: review}]',
      ...OPTIMIZE,
      '        metric: judge',
    ]);

    expect(located(result)).toEqual(['UNKNOWN_REFERENCE@12:49', 'UNKNOWN_REFERENCE@16:17']);
  });

  it('INVALID_VALUE: two evaluators with one name, a reserved field, a field on both sides', async () => {
    const result = await load([
      ...HEAD,
      ...CLASSIFY,
      '      evaluators: [{type: contains, value: a}, {type: contains, value: b}]',
      '      optimize:',
      '        inputs: {ticket: "{{inputs.ticket}}", completed: "x"}',
      '        outputs: {ticket: "again"}',
    ]);

    expect(located(result)).toEqual(['INVALID_VALUE@9:55', 'INVALID_VALUE@11:47', 'INVALID_VALUE@12:19']);
  });

  it('MISSING_FIELD: an output_schema evaluator with nothing to check against', async () => {
    const result = await load([...HEAD, ...CLASSIFY, '      evaluators: [{type: output_schema}]']);

    expect(located(result)).toEqual(['MISSING_FIELD@9:27']);
  });

  it('UNKNOWN_REFERENCE: a signature input template naming an unknown input', async () => {
    const result = await load([
      ...HEAD,
      ...CLASSIFY,
      '      evaluators: [{type: contains, value: a}]',
      '      optimize:',
      '        inputs: {ticket: "{{inputs.tickets}}"}',
      '        outputs: {category: "a category"}',
    ]);

    expect(result.issues.map((issue) => issue.code)).toEqual(['UNKNOWN_REFERENCE']);
  });

  it.each([
    ['an unknown evaluator type', '      evaluators: [{type: bleu}]'],
    [
      'an unknown optimizer',
      '      evaluators: [{type: contains, value: a}]\n      optimize: {inputs: {t: x}, outputs: {c: y}, optimizer: simba}',
    ],
    ['a regular expression that does not compile', '      evaluators: [{type: regex, pattern: "("}]'],
    [
      'a field type DSPy is not given',
      '      evaluators: [{type: contains, value: a}]\n      optimize: {inputs: {t: {value: x, type: set}}, outputs: {c: y}}',
    ],
  ])('rejects %s', async (_what, line) => {
    const result = await load([...HEAD, ...CLASSIFY, line]);

    expect(result.pipeline).toBeUndefined();
    expect(result.issues.length).toBeGreaterThan(0);
  });
});

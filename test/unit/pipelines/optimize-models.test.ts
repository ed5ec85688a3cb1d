import { describe, expect, it } from 'vitest';
import type { LlmStepSpec } from '../../../pipelines/contract/spec-bundle.js';
import { formatIssue, positionOf } from '../../../pipelines/format-issues.js';
import { fieldName } from '../../../pipelines/issues.js';
import { loadPipelineFromString } from '../../../pipelines/loader.js';
import type { LoadResult, PipelineIssue } from '../../../pipelines/types.js';
import { compilePipeline } from '../../../statemachines/compile.js';

const FILE = '/pipelines/p.yaml';

/** A workflow with one `type` step `classify` that opts in, its `optimize:` ending with `lines`. */
function load(lines: readonly string[], type = 'claude', evaluator = '{type: llm_judge, rubric: Ok.}') {
  const source = [
    'workflow:',
    '  name: triage',
    '  inputs:',
    '    ticket: {type: string}',
    '  steps:',
    '    - name: classify',
    `      type: ${type}`,
    '      prompt: [{type: static, content: "Classify {{inputs.ticket}}"}]',
    `      evaluators: [${evaluator}]`,
    '      optimize:',
    '        inputs: {ticket: "{{inputs.ticket}}"}',
    '        outputs: {category: "a category"}',
    ...lines.map((line) => `        ${line}`),
    '',
  ].join('\n');
  return loadPipelineFromString(source, FILE);
}

/** Each issue as `severity CODE@LINE:COL field`. */
function located(result: LoadResult): string[] {
  return result.issues.map((issue) => {
    const { line, col } = positionOf(result.source, issue.range[0]);
    return `${issue.severity} ${issue.code}@${line}:${col} ${fieldName(issue.path)}`;
  });
}

function only(result: LoadResult): PipelineIssue {
  expect(result.issues).toHaveLength(1);
  return result.issues[0] as PipelineIssue;
}

/** The compiled `optimize` block of `classify`. */
async function compiledOptimize(lines: readonly string[], type = 'claude') {
  const { pipeline, issues } = await load(lines, type);
  expect(issues).toEqual([]);
  if (pipeline === undefined) throw new Error('the pipeline did not load');
  const { bundle, issues: compileIssues } = compilePipeline(pipeline);
  expect(compileIssues).toEqual([]);
  if (bundle === undefined) throw new Error('the pipeline did not compile');
  return (bundle.steps.classify as LlmStepSpec).optimize;
}

const OPTIMIZE_AT = 'workflow.steps[0].optimize';

describe('optimize.reflection_model and optimize.judge_model at load time', () => {
  it.each([
    [
      'Claude aliases with gepa',
      'claude',
      ['optimizer: gepa', 'reflection_model: opus', 'judge_model: haiku'],
    ],
    [
      'a Claude id with mipro_v2',
      'claude',
      ['optimizer: mipro_v2', 'reflection_model: claude-opus-4-5-20251101'],
    ],
    [
      'Gemini ids',
      'gemini',
      ['optimizer: gepa', 'reflection_model: gemini-2.5-pro', 'judge_model: gemini-2.5-flash'],
    ],
    ['a judge model with the default optimizer', 'claude', ['judge_model: claude-haiku-4-5']],
  ])('accepts %s', async (_what, type, lines) => {
    const result = await load(lines, type);

    expect(result.issues).toEqual([]);
    expect(result.pipeline).toBeDefined();
  });

  it('INVALID_VALUE: an unknown model, located at its value, with a did-you-mean hint', async () => {
    // Act
    const result = await load(['optimizer: gepa', 'reflection_model: sonet']);

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual([`error INVALID_VALUE@14:27 ${OPTIMIZE_AT}.reflection_model`]);
    expect(formatIssue(FILE, result.source, only(result))).toBe(
      `${FILE}:14:27: error[INVALID_VALUE]: reflection_model 'sonet' is not a Claude model\n` +
        "  hint: did you mean 'sonnet'? name a Claude model id or alias of the step's provider, e.g. " +
        'opus, sonnet, haiku, claude-opus-4-8, claude-sonnet-4-6, claude-haiku-4-5',
    );
  });

  it("INVALID_VALUE: a model of the other provider, which the step's key cannot call", async () => {
    const claude = await load(['judge_model: gemini-2.5-pro']);
    const gemini = await load(['judge_model: opus'], 'gemini');

    expect(located(claude)).toEqual([`error INVALID_VALUE@13:22 ${OPTIMIZE_AT}.judge_model`]);
    expect(only(claude).message).toBe(
      `judge_model 'gemini-2.5-pro' is a Gemini model, but step "classify" calls Claude`,
    );
    expect(only(gemini).message).toBe(
      `judge_model 'opus' is a Claude model, but step "classify" calls Gemini`,
    );
    expect(only(gemini).hint).toContain('e.g. gemini-2.5-flash');
  });

  it('INVALID_VALUE: a model name with nothing close gets no suggestion', async () => {
    const result = await load(['optimizer: gepa', 'reflection_model: gpt-4o']);

    expect(only(result).message).toBe("reflection_model 'gpt-4o' is not a Claude model");
    expect(only(result).hint).toMatch(/^name a Claude model id/);
  });

  it.each([
    ['the default optimizer', [], 'bootstrap_few_shot (the default)'],
    ['bootstrap_few_shot', ['optimizer: bootstrap_few_shot'], 'bootstrap_few_shot,'],
  ])('INVALID_VALUE: reflection_model with %s, located at its key', async (_what, lines, named) => {
    // Act
    const result = await load([...lines, 'reflection_model: opus']);

    // Assess
    const line = 13 + lines.length;
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual([`error INVALID_VALUE@${line}:9 ${OPTIMIZE_AT}.reflection_model`]);
    expect(only(result).message).toContain(`not used by optimizer ${named}`);
    expect(only(result).hint).toBe(
      "set optimizer: gepa (it reflects on the evaluators' feedback) or mipro_v2 (it proposes instructions), or remove reflection_model",
    );
  });

  it('reports an unknown model and the wrong optimizer together', async () => {
    const result = await load(['reflection_model: opsu']);

    expect(located(result)).toEqual([
      `error INVALID_VALUE@13:9 ${OPTIMIZE_AT}.reflection_model`,
      `error INVALID_VALUE@13:27 ${OPTIMIZE_AT}.reflection_model`,
    ]);
    expect(result.issues.map((issue) => issue.hint)).toContainEqual(
      expect.stringMatching(/^did you mean 'opus'\?/),
    );
  });

  it.each([
    ['no llm_judge evaluator', '{type: contains, value: bill}'],
    ['only a judge with a model of its own', '{type: llm_judge, rubric: Ok., model: opus}'],
  ])('warns, and still loads, when judge_model has %s to serve', async (_what, evaluator) => {
    const result = await load(['judge_model: haiku'], 'claude', evaluator);

    expect(result.pipeline).toBeDefined();
    expect(located(result)).toEqual([`warning INVALID_VALUE@13:9 ${OPTIMIZE_AT}.judge_model`]);
    expect(only(result).message).toBe(
      'judge_model is not used: no llm_judge evaluator of step "classify" grades without a model of its own',
    );
  });

  it('counts the workflow evaluators when deciding whether judge_model is used', async () => {
    const source = [
      'workflow:',
      '  name: triage',
      '  evaluators: [{type: llm_judge, rubric: Ok.}]',
      '  steps:',
      '    - name: classify',
      '      type: claude',
      '      prompt: [{type: static, content: Go}]',
      '      optimize: {inputs: {t: x}, outputs: {c: y}, judge_model: haiku}',
      '',
    ].join('\n');

    const result = await loadPipelineFromString(source, FILE);

    expect(result.issues).toEqual([]);
  });
});

describe('optimize.reflection_model and optimize.judge_model in the spec bundle', () => {
  it('carries them as provider ids, aliases resolved like a step model', async () => {
    const optimize = await compiledOptimize([
      'optimizer: gepa',
      'reflection_model: opus',
      'judge_model: haiku',
    ]);

    expect(optimize?.optimizer).toBe('gepa');
    expect(optimize?.reflectionModel).toBe('claude-opus-4-8');
    expect(optimize?.judgeModel).toBe('claude-haiku-4-5');
  });

  it('passes a Gemini id through unchanged', async () => {
    const optimize = await compiledOptimize(
      ['optimizer: mipro_v2', 'reflection_model: gemini-2.5-pro'],
      'gemini',
    );

    expect(optimize?.reflectionModel).toBe('gemini-2.5-pro');
    expect(optimize).not.toHaveProperty('judgeModel');
  });

  it('leaves both out when neither is named, so the step keeps its spec hash', async () => {
    const optimize = await compiledOptimize([]);

    expect(optimize).toBeDefined();
    expect(optimize).not.toHaveProperty('reflectionModel');
    expect(optimize).not.toHaveProperty('judgeModel');
  });
});

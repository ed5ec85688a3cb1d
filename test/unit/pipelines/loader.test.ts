import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionOf } from '../../../pipelines/format-issues.js';
import { loadPipeline, loadPipelineFromString } from '../../../pipelines/loader.js';
import type { LoadResult } from '../../../pipelines/types.js';

const BASE = '/pipelines';

/** Loads `lines` as `/pipelines/p.yaml`; `files` are the files beside it, by relative path. */
function load(lines: readonly string[], files: Record<string, string> = {}): Promise<LoadResult> {
  const read = async (path: string) => {
    const content = files[relative(BASE, path)];
    if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return content;
  };
  return loadPipelineFromString(`${lines.join('\n')}\n`, join(BASE, 'p.yaml'), read);
}

/** Each issue as `CODE@LINE:COL`, the form the assertions below compare. */
function located(result: LoadResult): string[] {
  return result.issues.map((issue) => {
    const { line, col } = positionOf(result.source, issue.range[0]);
    return `${issue.code}@${line}:${col}`;
  });
}

/** A valid pipeline whose steps are `steps`, with one declared input, `topic`. */
function pipeline(...steps: string[]): string[] {
  return ['workflow:', '  name: demo', '  inputs:', '    topic: {type: string}', '  steps:', ...steps];
}

const PLAN = [
  '    - name: plan',
  '      type: claude',
  '      prompt:',
  '        - {type: static, content: "Plan"}',
];

describe('loadPipelineFromString', () => {
  it('returns the typed pipeline, with schema defaults applied, and no issues', async () => {
    // Act
    const result = await load(pipeline(...PLAN));

    // Assess
    expect(result.issues).toEqual([]);
    expect(result.pipeline?.file).toBe(join(BASE, 'p.yaml'));
    expect(result.pipeline?.workflow.inputs?.topic).toEqual({ type: 'string' });
    expect(result.pipeline?.workflow.steps[0]).toMatchObject({ name: 'plan', type: 'claude' });
  });

  describe('issue codes and positions', () => {
    it('YAML_SYNTAX: reports the parser error where it occurs, and stops there', async () => {
      const result = await load(['workflow:', '  name: demo', '  steps: [unclosed', '  other: x']);
      expect(located(result)[0]).toMatch(/^YAML_SYNTAX@[34]:/);
      expect(result.issues.every((issue) => issue.code === 'YAML_SYNTAX')).toBe(true);
      expect(result.pipeline).toBeUndefined();
    });

    it('YAML_SYNTAX: an alias without its anchor points at the alias', async () => {
      const result = await load(['workflow:', '  name: demo', '  steps: *missing']);
      expect(located(result)).toEqual(['YAML_SYNTAX@3:10']);
    });

    it('MISSING_WORKFLOW: a file without the workflow root is one issue at its start', async () => {
      const result = await load(['# comment', 'name: demo', 'steps: []']);
      expect(located(result)).toEqual(['MISSING_WORKFLOW@2:1']);
    });

    it('MISSING_WORKFLOW: also for an empty file', async () => {
      expect(located(await load([]))).toEqual(['MISSING_WORKFLOW@1:1']);
    });

    it('MISSING_FIELD: points at the map that lacks the field', async () => {
      const result = await load(pipeline('    - name: plan', '      type: claude'));
      expect(located(result)).toEqual(['MISSING_FIELD@6:7']);
      expect(result.issues[0]?.path).toEqual(['workflow', 'steps', 0, 'prompt']);
    });

    it('MISSING_FIELD: a step without a type', async () => {
      const result = await load(pipeline('    - name: plan', '      prompt: [{type: static, content: x}]'));
      expect(located(result)).toEqual(['MISSING_FIELD@6:7']);
    });

    it('UNKNOWN_FIELD: points at the key and suggests the near miss', async () => {
      const result = await load(pipeline(...PLAN, '      claude_option: {model: haiku}'));
      expect(located(result)).toEqual(['UNKNOWN_FIELD@10:7']);
      expect(result.issues[0]?.hint).toContain("'claude_options'");
    });

    it.each([
      ['mcp_servers', ['  mcp_servers: {fs: {command: npx}}'], 'MCP servers', 'input'],
      ['hooks', ['  hooks: {PreToolUse: []}'], 'hooks', 'nothing to hook'],
      ['agents', ['  agents: {reviewer: {}}'], 'subagents', 'parallel_claude'],
      ['enable_skills', ['  enable_skills: true'], 'skills', 'system_prompt'],
      ['memory_config', ['  memory_config: {enabled: true}'], 'memory compaction', 'claude_session'],
      ['variables', ['  variables: {round: 1}'], 'workflow-level variables', 'global_vars'],
    ])(
      'UNKNOWN_FIELD: workflow-level %s says it is not supported by Elexirion, and what to use',
      async (field, lines, what, instead) => {
        const result = await load(['workflow:', '  name: demo', ...lines, '  steps:', ...PLAN]);
        expect(located(result)).toEqual(['UNKNOWN_FIELD@3:3']);
        expect(result.issues[0]?.message).toBe(
          `'${field}' in workflow (${result.issues[0]?.message.match(/\((.*)\)/)?.[1]}) is not supported by Elexirion`,
        );
        expect(result.issues[0]?.message).toContain(what);
        expect(result.issues[0]?.hint).toContain(instead);
      },
    );

    it('UNKNOWN_FIELD: Claude SDK options and pipeline_ex spellings inside a step say what to write instead', async () => {
      const result = await load(
        pipeline(
          '    - name: plan',
          '      type: claude',
          '      claude_options: {timeout_seconds: 90, mcp_servers: {}}',
          '      prompt: [{type: static, content: x}]',
          '    - {name: remember, type: set_variable, variable: x, value: 1}',
        ),
      );
      expect(located(result)).toEqual([
        'UNKNOWN_FIELD@8:24',
        'UNKNOWN_FIELD@8:45',
        'MISSING_FIELD@10:7',
        'UNKNOWN_FIELD@10:44',
        'UNKNOWN_FIELD@10:57',
      ]);
      const unknown = result.issues.filter((issue) => issue.code === 'UNKNOWN_FIELD');
      expect(unknown.every((issue) => issue.message.endsWith('is not supported by Elexirion'))).toBe(true);
      expect(unknown.map((issue) => issue.hint)).toEqual([
        'write timeout_ms: 90000 (milliseconds)',
        expect.stringContaining('runs no tools'),
        'write variables: {NAME: value}',
        'write variables: {NAME: value}',
      ]);
    });

    it('UNKNOWN_FIELD: a plain typo still gets the near miss and the allowed fields', async () => {
      const result = await load(['workflow:', '  name: demo', '  global_var: {a: 1}', '  steps:', ...PLAN]);
      expect(result.issues[0]?.message).toBe("unknown field 'global_var' in workflow");
      expect(result.issues[0]?.hint).toMatch(/did you mean 'global_vars'\? allowed here: name, /);
    });

    it('UNKNOWN_STEP_TYPE: points at the type value, for pipeline_ex types and typos alike', async () => {
      const result = await load(
        pipeline(
          '    - {name: a, type: checkpoint, prompt: [{type: static, content: x}]}',
          '    - name: b',
          '      type: claud',
          '      prompt: [{type: static, content: x}]',
        ),
      );
      expect(located(result)).toEqual(['UNKNOWN_STEP_TYPE@6:23', 'UNKNOWN_STEP_TYPE@8:13']);
      expect(result.issues[0]?.hint).toContain('claude, gemini, set_variable');
      expect(result.issues[1]?.hint).toContain("'claude'");
    });

    it('UNKNOWN_PART_TYPE: points at the part type value', async () => {
      const result = await load(
        pipeline('    - name: a', '      type: gemini', '      prompt:', '        - type: claude_continue'),
      );
      expect(located(result)).toEqual(['UNKNOWN_PART_TYPE@9:17']);
    });

    it('DEPRECATED_SYNTAX: a pipeline_ex string prompt loads as one static part, with the list form as hint', async () => {
      const result = await load(pipeline('    - name: a', '      type: claude', '      prompt: "Say hi"'));
      expect(located(result)).toEqual(['DEPRECATED_SYNTAX@8:15']);
      expect(result.issues[0]).toMatchObject({
        severity: 'warning',
        path: ['workflow', 'steps', 0, 'prompt'],
      });
      expect(result.issues[0]?.hint).toContain('[{type: static, content: "Say hi"}]');
      expect(result.pipeline?.workflow.steps[0]).toMatchObject({
        prompt: [{ type: 'static', content: 'Say hi' }],
      });
    });

    it('DEPRECATED_SYNTAX: string prompts in loop bodies, inline pipelines and parallel tasks too; templates in them are checked', async () => {
      const result = await load(
        pipeline(
          '    - name: each',
          '      type: for_loop',
          '      iterator: item',
          '      data_source: "{{inputs.topic}}"',
          '      steps:',
          '        - {name: inner, type: gemini, prompt: "About {{loop.item}}"}',
          '    - name: child',
          '      type: pipeline',
          '      pipeline:',
          '        name: child',
          '        steps: [{name: c1, type: claude, prompt: "Hi"}]',
          '    - name: both',
          '      type: parallel_claude',
          '      parallel_tasks: [{id: t1, prompt: "Hello {{inputs.nope}}"}]',
        ),
      );
      expect(located(result)).toEqual([
        'DEPRECATED_SYNTAX@11:47',
        'DEPRECATED_SYNTAX@16:50',
        'UNKNOWN_REFERENCE@19:41',
        'DEPRECATED_SYNTAX@19:41',
      ]);
    });

    it('MISSING_FIELD and INVALID_VALUE: a prompt part without content, and a prompt that is neither a list nor a string', async () => {
      const result = await load(
        pipeline(
          '    - {name: a, type: claude, prompt: [{type: static}]}',
          '    - {name: b, type: claude, prompt: 3}',
        ),
      );
      expect(located(result)).toEqual(['MISSING_FIELD@6:40', 'INVALID_VALUE@7:39']);
      expect(result.issues[1]?.message).toContain('must be a list or a string, not number 3');
    });

    it('INVALID_VALUE: out-of-range numbers, bad enum values and bad names', async () => {
      const result = await load([
        'workflow:',
        '  name: demo',
        '  global_vars: {bad-name: 1}',
        '  steps:',
        '    - name: a',
        '      type: claude',
        '      role: brian',
        '      claude_options: {max_tokens: 0}',
        '      prompt: [{type: static, content: x}]',
      ]);
      expect(located(result)).toEqual(['INVALID_VALUE@3:17', 'INVALID_VALUE@7:13', 'INVALID_VALUE@8:36']);
      expect(result.issues[1]?.hint).toContain("'brain'");
    });

    it('DUPLICATE_STEP: points at the second name', async () => {
      const result = await load(pipeline(...PLAN, ...PLAN));
      expect(located(result)).toEqual(['DUPLICATE_STEP@10:13']);
      expect(result.issues[0]?.hint).toContain('plan_2');
    });

    it('UNKNOWN_REFERENCE: points at the exact template inside a block scalar', async () => {
      const result = await load(
        pipeline(
          '    - name: plan',
          '      type: claude',
          '      prompt:',
          '        - type: static',
          '          content: |',
          '            About {{inputs.topic}}:',
          '              then {{ inputs.topc }} and {{steps.nope.text}}',
        ),
      );
      expect(located(result)).toEqual(['UNKNOWN_REFERENCE@12:20', 'UNKNOWN_REFERENCE@12:42']);
      expect(result.issues[0]?.hint).toContain("did you mean 'topic'?");
    });

    it('UNKNOWN_REFERENCE: a set_variable step has no output to read', async () => {
      const result = await load(
        pipeline(
          '    - {name: vars, type: set_variable, variables: {n: 1}}',
          '    - name: use',
          '      type: gemini',
          '      prompt: [{type: static, content: "{{steps.vars.n}}"}, {type: previous_response, step: vars}]',
        ),
      );
      expect(located(result)).toEqual(['UNKNOWN_REFERENCE@9:41', 'UNKNOWN_REFERENCE@9:93']);
      expect(result.issues[0]?.hint).toContain('{{global_vars.n}}');
    });

    it('FORWARD_REFERENCE: templates and previous_response parts may only read earlier steps', async () => {
      const result = await load(
        pipeline(
          '    - name: first',
          '      type: claude',
          '      prompt:',
          "        - {type: static, content: 'see {{steps.second.text}}'}",
          '        - {type: previous_response, step: first}',
          ...PLAN.map((line) => line.replace('plan', 'second')),
        ),
      );
      expect(located(result)).toEqual(['FORWARD_REFERENCE@9:40', 'FORWARD_REFERENCE@10:43']);
    });

    it('BAD_TEMPLATE: in plain, quoted and folded scalars', async () => {
      const result = await load(
        pipeline(
          '    - name: plan',
          '      type: claude',
          '      claude_options:',
          '        system_prompt: Today is {{timestamp}}',
          '      prompt:',
          '        - type: static',
          '          content: "a\\tb {{ state.x }}"',
          '        - type: static',
          '          content: >',
          '            folded',
          '            {{inputs.topic}} {{steps.plan}}',
        ),
      );
      expect(located(result)).toEqual(['BAD_TEMPLATE@9:33', 'BAD_TEMPLATE@12:26', 'BAD_TEMPLATE@16:30']);
    });

    it('FILE_NOT_FOUND: points at the path of the file part', async () => {
      const result = await load(
        pipeline(
          '    - name: a',
          '      type: claude',
          '      prompt:',
          '        - {type: file, path: missing.md}',
        ),
      );
      expect(located(result)).toEqual(['FILE_NOT_FOUND@9:30']);
    });
  });

  describe('global variables', () => {
    it('are known when declared or set by an earlier set_variable step, at any depth of a value', async () => {
      // Prepare
      const lines = [
        'workflow:',
        '  name: demo',
        '  global_vars: {declared: 1}',
        '  steps:',
        '    - name: set',
        '      type: set_variable',
        '      variables:',
        '        copy: "{{global_vars.declared}}"',
        '        nested: {list: ["{{global_vars.later}}", "{{global_vars.copy}}"]}',
        '    - name: again',
        '      type: set_variable',
        '      variables: {later: "{{global_vars.copy}}", other: "{{global_vars.unknown}}"}',
      ];

      // Act
      const result = await load(lines);

      // Assess
      expect(located(result)).toEqual([
        'FORWARD_REFERENCE@9:26',
        'FORWARD_REFERENCE@9:51',
        'UNKNOWN_REFERENCE@12:58',
      ]);
    });
  });

  it('checks defaults.claude_options templates as if before the first step', async () => {
    const result = await load([
      'workflow:',
      '  name: demo',
      '  defaults:',
      '    claude_options: {system_prompt: "after {{steps.plan.text}}"}',
      '  steps:',
      ...PLAN,
    ]);
    expect(located(result)).toEqual(['FORWARD_REFERENCE@4:44']);
  });

  it('reads file parts relative to the pipeline file, once per path', async () => {
    // Prepare
    const files = { 'prompts/intro.md': 'Intro text' };
    const part = '        - {type: file, path: prompts/intro.md}';

    // Act
    const result = await load(
      pipeline('    - name: a', '      type: claude', '      prompt:', part, part),
      files,
    );

    // Assess
    expect(result.issues).toEqual([]);
    expect(result.pipeline?.files).toEqual({ 'prompts/intro.md': 'Intro text' });
  });

  it('rejects a template in a file path, since files are read at load time', async () => {
    const result = await load(
      pipeline(
        '    - name: a',
        '      type: claude',
        '      prompt:',
        '        - {type: file, path: "{{inputs.topic}}"}',
      ),
    );
    expect(located(result)).toEqual(['BAD_TEMPLATE@9:30']);
  });
});

describe('loadPipeline', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'elexirion-loader-'));
    await mkdir(join(dir, 'prompts'));
    await writeFile(join(dir, 'prompts', 'system.md'), 'You review code.');
    await writeFile(
      join(dir, 'p.yaml'),
      [
        'workflow:',
        '  name: disk',
        '  steps:',
        '    - name: a',
        '      type: gemini',
        '      prompt: [{type: file, path: prompts/system.md}]',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the file and its file parts from disk', async () => {
    const result = await loadPipeline(join(dir, 'p.yaml'));
    expect(result.issues).toEqual([]);
    expect(result.pipeline?.files).toEqual({ 'prompts/system.md': 'You review code.' });
  });

  it('reports a missing pipeline file as FILE_NOT_FOUND at 1:1', async () => {
    const result = await loadPipeline(join(dir, 'absent.yaml'));
    expect(located(result)).toEqual(['FILE_NOT_FOUND@1:1']);
  });

  it.each(['hello', 'chain'])('loads the shipped example %s.yaml', async (name) => {
    const result = await loadPipeline(
      new URL(`../../../pipelines/examples/${name}.yaml`, import.meta.url).pathname,
    );
    expect(result.issues).toEqual([]);
    expect(result.pipeline).toBeDefined();
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadMockScript,
  MockScriptError,
  resolveScriptKeys,
  scriptedResponse,
} from '../../../../functions/providers/mock-script.js';
import type { SpecBundle } from '../../../../pipelines/contract/spec-bundle.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'elexirion-mock-script-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeScript(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Loads the script and returns the MockScriptError it throws. */
async function loadError(path: string): Promise<MockScriptError> {
  const error = await loadMockScript(path).then(
    () => expect.fail('expected the script to be rejected'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MockScriptError);
  return error as MockScriptError;
}

describe('loadMockScript', () => {
  it('reads text, structured output and injected errors from YAML', async () => {
    // Prepare
    const path = await writeScript(
      'refactor.mock.yaml',
      [
        'plan:',
        '  - {"$error": rate_limit}',
        '  - first draft',
        '  - {steps: [a, b]}',
        'review: [LGTM]',
        '',
      ].join('\n'),
    );

    // Act
    const script = await loadMockScript(path);

    // Assess
    expect(script.path).toBe(path);
    expect(Object.fromEntries(script.steps)).toEqual({
      plan: [
        { kind: 'error', error: 'rate_limit' },
        { kind: 'text', text: 'first draft' },
        { kind: 'text', text: '{"steps":["a","b"]}' },
      ],
      review: [{ kind: 'text', text: 'LGTM' }],
    });
  });

  it('reads JSON', async () => {
    // Prepare
    const path = await writeScript('script.json', '{"plan": [42, null, {"$error": "timeout"}]}');

    // Act
    const script = await loadMockScript(path);

    // Assess
    expect(script.steps.get('plan')).toEqual([
      { kind: 'text', text: '42' },
      { kind: 'text', text: 'null' },
      { kind: 'error', error: 'timeout' },
    ]);
  });

  it('reads tool-call turns', async () => {
    // Prepare
    const path = await writeScript(
      'agent.mock.yaml',
      [
        'fix:',
        '  - $tool_calls:',
        '      - {name: Read, input: {file_path: src/median.js}}',
        '      - {name: Grep, input: {pattern: median}}',
        '  - fixed',
        '',
      ].join('\n'),
    );

    // Act
    const script = await loadMockScript(path);

    // Assess
    expect(script.steps.get('fix')).toEqual([
      {
        kind: 'tool_calls',
        calls: [
          { name: 'Read', input: { file_path: 'src/median.js' } },
          { name: 'Grep', input: { pattern: 'median' } },
        ],
      },
      { kind: 'text', text: 'fixed' },
    ]);
  });

  it.each([
    {
      kind: 'a tool call without a name',
      text: 'fix:\n  - $tool_calls: [{input: {}}]\n',
      issue: { line: 2, col: 19, field: 'fix[0].$tool_calls[0].name' },
      hint: 'a tool call needs a "name"',
    },
    {
      kind: 'a tool call whose input is a list',
      text: 'fix:\n  - $tool_calls: [{name: Read, input: [a.ts]}]\n',
      issue: { line: 2, col: 39, field: 'fix[0].$tool_calls[0].input' },
      hint: 'got a list; write e.g. {file_path: src/a.ts}',
    },
    {
      kind: 'a tool call with an id',
      text: 'fix:\n  - $tool_calls: [{name: Read, input: {}, id: t1}]\n',
      issue: { line: 2, col: 43, field: 'fix[0].$tool_calls[0].id' },
      hint: 'holds only "name" and "input" (the mock gives it its id)',
    },
    {
      kind: 'an empty list of tool calls',
      text: 'fix:\n  - $tool_calls: []\n',
      issue: { line: 2, col: 18, field: 'fix[0].$tool_calls' },
      hint: 'write at least one, or a text answer to end the loop',
    },
    {
      kind: 'tool calls that are not a list',
      text: 'fix:\n  - $tool_calls: Read\n',
      issue: { line: 2, col: 18, field: 'fix[0].$tool_calls' },
      hint: 'got string "Read"',
    },
    {
      kind: 'a tool-calls response with another key',
      text: 'fix:\n  - {$tool_calls: [{name: Read, input: {}}], text: hi}\n',
      issue: { line: 2, col: 46, field: 'fix[0].text' },
      hint: 'holds only "$tool_calls"',
    },
  ])('refuses $kind at load, naming the script and the field', async ({ text, issue, hint }) => {
    // Prepare
    const path = await writeScript('agent.mock.yaml', text);

    // Act
    const error = await loadError(path);

    // Assess
    expect(error.issues).toEqual([expect.objectContaining(issue)]);
    expect(error.message).toContain(`${path}:${issue.line}:${issue.col}: ${issue.field}: `);
    expect(error.message).toContain(hint);
  });

  it('names FILE:LINE:COL and lists the valid names for an unknown $error', async () => {
    // Prepare
    const path = await writeScript('bad.yaml', 'plan:\n  - ok\n  - {"$error": rate_limited}\n');

    // Act
    const error = await loadError(path);

    // Assess
    expect(error.name).toBe('MockScriptError');
    expect(error.issues).toEqual([expect.objectContaining({ line: 3, col: 16, field: 'plan[1].$error' })]);
    expect(error.message).toContain(`${path}:3:16: plan[1].$error:`);
    expect(error.message).toContain(
      'rate_limit, overloaded, server_error, timeout, invalid_response, auth, invalid_request',
    );
  });

  it.each([
    {
      kind: 'a step mapped to text instead of a list',
      text: 'plan: just one answer\n',
      issue: { line: 1, col: 7, field: 'plan' },
      hint: 'write a list even for one answer',
    },
    {
      kind: 'a step with an empty list',
      text: 'plan: []\n',
      issue: { line: 1, col: 7, field: 'plan' },
      hint: 'write at least one',
    },
    {
      kind: 'a step with no value',
      text: 'review: [ok]\nplan:\n',
      issue: { line: 2, col: 1, field: 'plan' },
      hint: 'write a list even for one answer',
    },
    {
      kind: 'an error response with another key',
      text: 'plan:\n  - {"$error": auth, "status": 401}\n',
      issue: { line: 2, col: 22, field: 'plan[0].status' },
      hint: 'holds only "$error"',
    },
    {
      kind: 'a top-level list',
      text: '- plan\n- review\n',
      issue: { line: 1, col: 1, field: '' },
      hint: 'write e.g. plan: ["the answer"]',
    },
    {
      kind: 'an empty file',
      text: '',
      issue: { line: 1, col: 1, field: '' },
      hint: 'mapping of step names to lists of responses',
    },
    {
      kind: 'a YAML syntax error',
      text: 'plan: [a\n',
      issue: { line: 2, col: 1, field: '' },
      hint: 'end with a ]',
    },
  ])('names the position and the fix for $kind', async ({ text, issue, hint }) => {
    // Prepare
    const path = await writeScript('bad.yaml', text);

    // Act
    const error = await loadError(path);

    // Assess
    expect(error.issues).toEqual([expect.objectContaining(issue)]);
    expect(error.message).toContain(`${path}:${issue.line}:${issue.col}: `);
    expect(error.message).toContain(hint);
  });

  it('reports every problem at once', async () => {
    // Prepare
    const path = await writeScript('bad.json', '{\n  "plan": [],\n  "review": [{"$error": "nope"}]\n}\n');

    // Act
    const error = await loadError(path);

    // Assess
    expect(error.issues.map(({ line, col, field }) => ({ line, col, field }))).toEqual([
      { line: 2, col: 11, field: 'plan' },
      { line: 3, col: 25, field: 'review[0].$error' },
    ]);
  });

  it('says which file it cannot read', async () => {
    // Prepare
    const path = join(dir, 'missing.yaml');

    // Act
    const error = await loadError(path);

    // Assess
    expect(error.message).toContain(`${path}: cannot read the mock script (ENOENT)`);
  });
});

describe('scriptedResponse', () => {
  it('answers by attempt, repeats the last response, and skips steps it does not name', async () => {
    // Prepare
    const path = await writeScript('script.yaml', 'plan: [one, two]\n');
    const script = await loadMockScript(path);

    // Act
    const answers = [1, 2, 3, 9].map((attempt) => scriptedResponse(script, 'plan', attempt));
    const unscripted = scriptedResponse(script, 'review', 1);

    // Assess
    expect(answers).toEqual([
      { kind: 'text', text: 'one' },
      { kind: 'text', text: 'two' },
      { kind: 'text', text: 'two' },
      { kind: 'text', text: 'two' },
    ]);
    expect(unscripted).toBeUndefined();
  });

  it('answers an iteration of a loop body by its own key first, then by the step', async () => {
    // Prepare
    const path = await writeScript('script.yaml', 'review: [plain]\n"review[1]": [first, second]\n');
    const script = await loadMockScript(path);

    // Act
    const answers = [
      scriptedResponse(script, 'review', 1, [0]),
      scriptedResponse(script, 'review', 1, [1]),
      scriptedResponse(script, 'review', 2, [1]),
    ];

    // Assess: attempts count within the iteration
    expect(answers.map((answer) => (answer?.kind === 'text' ? answer.text : answer))).toEqual([
      'plain',
      'first',
      'second',
    ]);
  });
});

describe('resolveScriptKeys', () => {
  /** A bundle with these LLM step ids, and one data step. */
  function bundle(...stepIds: string[]): Pick<SpecBundle, 'pipeline' | 'steps'> {
    const steps = Object.fromEntries(stepIds.map((id) => [id, { kind: 'llm' }]));
    return { pipeline: 'p', steps: { ...steps, totals: { kind: 'data_transform' } } as never };
  }

  it('maps step ids, iterations and unscoped names of nested steps to the step they answer', () => {
    // Act
    const resolved = resolveScriptKeys(
      ['plan', 'review[2]', 'draft', 'wrap.tidy[0][1]'],
      bundle('plan', 'review', 'wrap.draft', 'wrap.tidy'),
    );

    // Assess
    expect(resolved).toEqual([
      { key: 'plan', stepKey: 'plan' },
      { key: 'review[2]', stepKey: 'review[2]' },
      { key: 'draft', stepKey: 'wrap.draft' },
      { key: 'wrap.tidy[0][1]', stepKey: 'wrap.tidy[0][1]' },
    ]);
  });

  it('rejects keys that answer no model call, that are ambiguous, or that repeat a step', () => {
    // Act
    const problems = resolveScriptKeys(
      ['totals', 'draft', 'plan', 'p.plan', 'plam'],
      bundle('plan', 'a.draft', 'b.draft'),
    ).map((entry) => entry.problem);

    // Assess
    expect(problems).toEqual([
      'no step of pipeline p is named "totals"; the steps that call a model: plan, a.draft, b.draft',
      'steps of several nested pipelines are named "draft" (a.draft, b.draft); write the one you mean',
      undefined,
      'no step of pipeline p is named "p.plan"; did you mean \'plan\'? the steps that call a model: plan, a.draft, b.draft',
      'no step of pipeline p is named "plam"; did you mean \'plan\'? the steps that call a model: plan, a.draft, b.draft',
    ]);
  });

  it('rejects two keys for one step, the unscoped and the scoped name', () => {
    // Act
    const [, second] = resolveScriptKeys(['draft', 'a.draft'], bundle('a.draft'));

    // Assess
    expect(second).toEqual({
      key: 'a.draft',
      problem: '"draft" scripts the same step already (a.draft); keep one of them',
    });
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { compilePipeline } from '../../statemachines/compile.js';
import { load, located, runLines } from './harness.js';
import { artifactOf, runLlmLines } from './llm-harness.js';

/**
 * `while_loop` → a Choice loop with a counter in the state: the condition evaluated per iteration
 * (never frozen), `max_iterations` enforced as a named failure or an explicit outcome, and loops
 * whose history could exceed the quota rejected at compile time.
 */

const HEAD = ['workflow:', '  name: retry_until_done', '  global_vars:', '    round: 0', '  steps:'];

function untilDone(extra: readonly string[], body: readonly string[] = CHECK): string[] {
  return [
    '    - name: improve',
    '      type: while_loop',
    '      condition: "steps.check.done != true"',
    ...extra,
    '      steps:',
    ...body,
    '    - name: report',
    '      type: claude',
    '      prompt: [{type: static, content: "Report after {{steps.improve.iterations}} rounds"}]',
  ];
}

const CHECK = [
  '        - name: check',
  '          type: claude',
  '          prompt: [{type: static, content: "Check round {{loop.iteration}} (index {{loop.index}})"}]',
];

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('while_loop', () => {
  it('repeats the body while the condition holds, reading the last iteration each time', async () => {
    // Act
    const result = await runLines(stack, [...HEAD, ...untilDone(['      max_iterations: 5'])], {
      script: { check: [{ done: false }], 'check[2]': [{ done: true }] },
    });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.calls).toEqual(['check', 'check', 'check', 'report']);
    expect(result.steps.improve).toMatchObject({ iterations: 3, max_iterations_reached: false });
    // The loop's context is gone after the loop: the state has its usual shape.
    expect(Object.keys(result.output ?? {}).sort()).toEqual(['global_vars', 'inputs', 'run', 'steps']);
    // A Choice tests the exposed field on every iteration; no evaluation Task is needed.
    expect(result.entered.filter((name) => name === 'improve.While')).toHaveLength(4);
    expect(result.bundle.steps.check).toMatchObject({ exposeFields: ['done'] });
  });

  it('fails with Loop.MaxIterations when the bound is reached and the condition still holds (defect 16)', async () => {
    // Act
    const result = await runLines(stack, [...HEAD, ...untilDone(['      max_iterations: 2'])], {
      script: { check: [{ done: false }] },
    });

    // Assess
    expect(result.run.status).toBe('FAILED');
    expect(result.run.error).toMatchObject({ name: 'Loop.MaxIterations' });
    expect(result.calls).toEqual(['check', 'check']);
  });

  it('with on_max_iterations: continue, goes on and says so in the result', async () => {
    // Act
    const result = await runLines(
      stack,
      [...HEAD, ...untilDone(['      max_iterations: 2', '      on_max_iterations: continue'])],
      {
        script: { check: [{ done: false }] },
      },
    );

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.steps.improve).toMatchObject({ iterations: 2, max_iterations_reached: true });
    expect(result.calls).toEqual(['check', 'check', 'report']);
  });

  it('re-evaluates a condition on variables the body changes, and runs it by the step runner when needed', async () => {
    // Prepare: arithmetic in the condition needs the step runner; the counter is a set_variable Pass
    const lines = [
      ...HEAD,
      '    - name: count',
      '      type: while_loop',
      '      condition: "global_vars.round * 10 < 30"',
      '      steps:',
      '        - name: bump',
      '          type: set_variable',
      '          variables:',
      '            round: "{{loop.iteration}}"',
    ];

    // Act
    const result = await runLines(stack, lines);

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.steps.count).toEqual({ iterations: 3, max_iterations_reached: false, last: {} });
    expect(result.output?.global_vars).toEqual({ round: 3 });
    expect(result.calls).toEqual(Array(4).fill('count.EvaluateWhile'));
  });

  it('nests in a for_loop, keeping the outer context as loop.parent and restoring it after', async () => {
    // Prepare
    const lines = [
      'workflow:',
      '  name: nested',
      '  steps:',
      '    - name: each',
      '      type: for_loop',
      '      iterator: topic',
      '      data_source: "{{global_vars.topics}}"',
      '      steps:',
      '        - name: refine',
      '          type: while_loop',
      '          condition: "loop.index < 2"',
      '          steps:',
      '            - name: draft',
      '              type: claude',
      '              prompt: [{type: static, content: "{{loop.parent.topic}} draft {{loop.iteration}}"}]',
      '        - name: close',
      '          type: claude',
      '          prompt: [{type: static, content: "Close {{loop.topic}}"}]',
      '  global_vars:',
      '    topics: [queues, retries]',
    ];

    // Act
    const result = await runLines(stack, lines);

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    const each = result.steps.each as { iterations: { steps: Record<string, unknown> }[] };
    expect(each.iterations.map((iteration) => iteration.steps.refine)).toMatchObject([
      { iterations: 2, max_iterations_reached: false },
      { iterations: 2, max_iterations_reached: false },
    ]);
    expect(result.calls).toEqual(['draft', 'draft', 'close', 'draft', 'draft', 'close']);
  });
});

describe('while_loop results, attempts and reports', () => {
  it('exposes the last iteration as steps.LOOP.last, and reports the body only there, with attempts per iteration', async () => {
    // Prepare: after the loop, a step reads the final answer in a template and in a condition
    const lines = [
      ...HEAD,
      ...untilDone(['      max_iterations: 5']),
      '    - name: publish',
      '      type: claude',
      '      condition: "steps.improve.last.check.done == true"',
      '      prompt: [{type: static, content: "Publish {{steps.improve.last.check.note}}"}]',
    ];

    // Act
    const result = await runLlmLines(stack, lines, {
      script: { check: [{ done: false, note: 'draft' }], 'check[1]': [{ done: true, note: 'final' }] },
    });

    // Assess: the loop's result holds the last iteration's answer (B5)
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.json.outputs.improve).toEqual({
      iterations: 2,
      max_iterations_reached: false,
      last: { check: { done: true, note: 'final' } },
    });
    expect(result.json.outputs.publish).toMatch(/^\[mock claude-[\w.-]+\] \w+ Publish final$/);
    // Assess: the body's step is not a top-level output, whatever iteration it would be (B3)
    expect(Object.keys(result.json.outputs).sort()).toEqual(['improve', 'publish', 'report']);
    // Assess: two iterations answered at once are one attempt each, not two attempts (B4)
    expect(result.json.steps.find((step) => step.name === 'check')).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      iterations: 2,
    });
    expect(result.attempts.filter((a) => a.stepId === 'check').map((a) => [a.iteration, a.attempt])).toEqual([
      [[0], 1],
      [[1], 1],
    ]);
  });

  it('runs the refine-until-approved example of docs/pipeline-language.md', async () => {
    // Prepare: the example, as the docs show it
    const docs = await readFile(new URL('../../docs/pipeline-language.md', import.meta.url), 'utf8');
    const example = /```yaml\n(workflow:\n {2}name: refine_until_approved\n[\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();

    // Act: the review approves the second draft
    const result = await runLlmLines(stack, (example ?? '').trimEnd().split('\n'), {
      inputs: { topic: 'tides' },
      script: {
        draft: ['first draft'],
        'draft[1]': ['second draft'],
        review: [{ approved: false, notes: 'too long' }],
        'review[1]': [{ approved: true, notes: 'good' }],
      },
    });

    // Assess: the second draft was asked with the first review's notes; the approved one is published
    expect(result.run.status).toBe('SUCCEEDED');
    expect((await artifactOf(result, 'draft')).request.prompt).toBe(
      'Write a paragraph on tides. Notes on the last draft: too long',
    );
    expect(result.json.outputs.refine).toEqual({
      iterations: 2,
      max_iterations_reached: false,
      last: { draft: 'second draft', review: { approved: true, notes: 'good' } },
    });
    expect(result.json.outputs.publish).toMatch(/Publish: second draft$/);
  });
});

describe("pipeline_ex's native loop example, hand-fixed", () => {
  it('loads with deprecation warnings, compiles its condition to a Choice rule and runs three rounds', async () => {
    // Prepare
    const lines = (await readFile(new URL('./fixtures/native-loop.yaml', import.meta.url), 'utf8')).split(
      '\n',
    );
    const loaded = await load(lines);

    // Act
    const result = await runLines(stack, lines);

    // Assess: the legacy spellings load, each with its preferred form
    expect(loaded.issues.map((issue) => [issue.code, issue.hint])).toEqual([
      ['DEPRECATED_SYNTAX', 'write global_vars.current_iteration < global_vars.max_iterations'],
      ['DEPRECATED_SYNTAX', 'write global_vars.current_iteration'],
      ['DEPRECATED_SYNTAX', 'write global_vars.max_iterations'],
    ]);
    // Assess: the condition reads the variable the body sets, afresh on every round (defect 7)
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.steps.improvement_loop).toMatchObject({ iterations: 3, max_iterations_reached: false });
    expect(result.output?.global_vars).toEqual({ max_iterations: 3, current_iteration: 3 });
    expect(result.calls).toHaveLength(9);
    expect(result.calls.filter((call) => call.includes('Evaluate'))).toEqual([]);
  });
});

describe('while_loop limits and load errors', () => {
  it('rejects at compile time a loop whose iterations could exceed 25,000 history events', async () => {
    // Prepare: 1000 iterations of five model calls
    const body = ['a', 'b', 'c', 'd', 'e'].flatMap((name) => [
      `        - name: ${name}`,
      '          type: claude',
      '          prompt: [{type: static, content: "x"}]',
    ]);
    const lines = untilDone(['      max_iterations: 1000'], body).map((line) =>
      line.replace('steps.check.done', 'steps.e.done'),
    );
    const loaded = await load([...HEAD, ...lines]);

    // Act
    const compiled = compilePipeline(loaded.pipeline ?? (undefined as never));

    // Assess
    // (The whole-definition history check reports the same run too, without a field.)
    const mine = compiled.issues.filter((issue) => issue.path.length > 0);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      code: 'HISTORY_TOO_LONG',
      path: ['workflow', 'steps', 0, 'max_iterations'],
      hint: expect.stringContaining('set max_iterations to at most 806'),
    });
  });

  it.each([
    ['max_iterations over the cap', ['      max_iterations: 5000'], 'INVALID_VALUE@9:23'],
    ['an unknown on_max_iterations', ['      on_max_iterations: ignore'], 'INVALID_VALUE@9:26'],
    [
      'a condition reading an unknown loop field',
      [],
      'UNKNOWN_REFERENCE@8:38',
      '"loop.index > 0 and loop.round > 1"',
    ],
  ])('rejects %s', async (_, extra, expected, condition?: string) => {
    // Act
    const lines = untilDone(extra).map((line) =>
      condition && line.includes('condition:') ? `      condition: ${condition}` : line,
    );
    const result = await load([...HEAD, ...lines]);

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual([expected]);
  });

  it('checks steps.LOOP.last.STEP at load time: only a body step of that while_loop, with a suggestion', async () => {
    // Act
    const result = await load([
      ...HEAD,
      ...untilDone([]).map((line) =>
        line.replace('{{steps.improve.iterations}}', '{{steps.improve.last.chek.done}}'),
      ),
    ]);

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual(['UNKNOWN_REFERENCE@15:54']);
    expect(result.issues[0]?.hint).toBe(
      "did you mean 'check'? the body steps of while_loop 'improve': check",
    );
    // The body step itself is out of scope after the loop; the hint names where its answer is.
    const direct = await load([
      ...HEAD,
      ...untilDone([]).map((line) => line.replace('{{steps.improve.iterations}}', '{{steps.check.done}}')),
    ]);
    expect(located(direct)).toEqual(['OUT_OF_SCOPE@15:54']);
    expect(direct.issues[0]?.hint).toBe(
      "after the loop, read its last iteration's result from {{steps.improve.last.check}}",
    );
  });

  it('loads pipeline_ex state.x conditions with a warning', async () => {
    // Act
    const result = await load([
      ...HEAD,
      ...untilDone([]).map((line) => line.replace('"steps.check.done != true"', '"{{state.round < 3}}"')),
    ]);

    // Assess
    expect(result.pipeline).toBeDefined();
    expect(result.issues.map((issue) => [issue.code, issue.hint])).toEqual([
      ['DEPRECATED_SYNTAX', 'write global_vars.round < 3'],
      ['DEPRECATED_SYNTAX', 'write global_vars.round'],
    ]);
  });
});

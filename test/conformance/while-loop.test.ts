import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { compilePipeline } from '../../statemachines/compile.js';
import { load, located, runLines } from './harness.js';

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
      script: { check: [{ done: false }, { done: false }, { done: true }] },
    });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.calls).toEqual(['check', 'check', 'check', 'report']);
    expect(result.steps.improve).toEqual({ iterations: 3, max_iterations_reached: false });
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
    expect(result.steps.improve).toEqual({ iterations: 2, max_iterations_reached: true });
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
    expect(result.steps.count).toEqual({ iterations: 3, max_iterations_reached: false });
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
    expect(each.iterations.map((iteration) => iteration.steps.refine)).toEqual([
      { iterations: 2, max_iterations_reached: false },
      { iterations: 2, max_iterations_reached: false },
    ]);
    expect(result.calls).toEqual(['draft', 'draft', 'close', 'draft', 'draft', 'close']);
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
    expect(result.steps.improvement_loop).toEqual({ iterations: 3, max_iterations_reached: false });
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

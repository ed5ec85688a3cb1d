import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { compileLines, load, located, runLines } from './harness.js';
import { runLlmLines } from './llm-harness.js';

/**
 * `for_loop` → a Map state: per-iteration `loop.*` in templates and conditions, results per item,
 * MaxConcurrency from parallel/max_parallel, break_on_error, continue_condition and break_condition,
 * lists read from the state or from an answer in S3, and the inline item cap.
 */

const HEAD = ['workflow:', '  name: loops', '  inputs:', '    files: {type: array}', '  steps:'];

function loop(extra: readonly string[], body: readonly string[] = REVIEW): string[] {
  return [
    '    - name: each',
    '      type: for_loop',
    '      iterator: file',
    '      data_source: "{{inputs.files}}"',
    ...extra,
    '      steps:',
    ...body,
  ];
}

const REVIEW = [
  '        - name: review',
  '          type: claude',
  '          prompt:',
  '            - {type: static, content: "Review {{loop.file}} ({{loop.index}} of {{loop.total}}, first {{loop.first}}, last {{loop.last}})"}',
];

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('for_loop', () => {
  it('runs the body once per item, rendering loop.* per iteration, and records each iteration', async () => {
    // Act
    const result = await runLines(stack, [...HEAD, ...loop([])], {
      inputs: { files: ['a.ts', 'b.ts', 'c.ts'] },
    });

    // Assess: the Map's results, per item, in order
    expect(result.run.status).toBe('SUCCEEDED');
    const each = result.steps.each as { total_items: number; iterations: Record<string, unknown>[] };
    expect(each.total_items).toBe(3);
    expect(each.iterations.map(({ index, item, status }) => ({ index, item, status }))).toEqual([
      { index: 0, item: 'a.ts', status: 'SUCCEEDED' },
      { index: 1, item: 'b.ts', status: 'SUCCEEDED' },
      { index: 2, item: 'c.ts', status: 'SUCCEEDED' },
    ]);
    // Attempts count per iteration: each iteration's first call is its attempt 1 (B4).
    expect(each.iterations[1]).toMatchObject({ steps: { review: { status: 'SUCCEEDED', attempt: 1 } } });
    // Assess: templates saw each iteration's loop context (defect 7: not frozen at loop start)
    const prompts = await requests(result, 'review');
    expect(prompts).toEqual([
      'Review a.ts (0 of 3, first true, last false)',
      'Review b.ts (1 of 3, first false, last false)',
      'Review c.ts (2 of 3, first false, last true)',
    ]);
    // Assess: a Pass counts the typed input list; the Map runs one iteration at a time
    expect(result.calls).toEqual(['review', 'review', 'review']);
    const map = states(result.asl)['each.Map'];
    expect(map).toMatchObject({ Type: 'Map', ItemsPath: '$.inputs.files', MaxConcurrency: 1 });
    expect(result.entered.slice(0, 5)).toEqual([
      '_Initialize',
      'each',
      'each.CheckItems',
      'each.Map',
      'review',
    ]);
  });

  it('lets later steps read each iteration, with the answers in place of their references', async () => {
    // Prepare
    const lines = [
      ...HEAD,
      ...loop([]),
      '    - name: summary',
      '      type: claude',
      '      condition: "any(steps.each.iterations, \\"@.steps.review.ok == false\\")"',
      '      prompt: [{type: static, content: "Summarize {{steps.each.iterations.1.steps.review.note}}: {{steps.each.iterations}}"}]',
    ];

    // Act
    const result = await runLines(stack, lines, {
      inputs: { files: ['a.ts', 'b.ts'] },
      script: {
        'review[0]': [{ ok: true, note: 'fine' }],
        'review[1]': [{ ok: false, note: 'leaks' }],
      },
    });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.calls).toEqual(['review', 'review', 'summary.EvaluateCondition', 'summary']);
    const [prompt] = await requests(result, 'summary');
    expect(prompt).toMatch(/^Summarize leaks: \[/);
    expect(JSON.parse(prompt?.slice('Summarize leaks: '.length) ?? '')).toEqual([
      { index: 0, item: 'a.ts', status: 'SUCCEEDED', steps: { review: { ok: true, note: 'fine' } } },
      { index: 1, item: 'b.ts', status: 'SUCCEEDED', steps: { review: { ok: false, note: 'leaks' } } },
    ]);
  });

  it('maps parallel and max_parallel to MaxConcurrency, max_parallel meaning concurrency (defect 19)', async () => {
    // Act
    const parallel = await compileLines([
      ...HEAD,
      ...loop(['      parallel: true', '      max_parallel: 3']),
    ]);
    const defaulted = await compileLines([...HEAD, ...loop(['      parallel: true'])]);

    // Assess
    expect(states(parallel.asl)['each.Map']).toMatchObject({ MaxConcurrency: 3 });
    expect(states(defaulted.asl)['each.Map']).toMatchObject({ MaxConcurrency: 5 });
  });

  it('with break_on_error: false, records a failed iteration and goes on', async () => {
    // Act
    const result = await runLines(stack, [...HEAD, ...loop(['      break_on_error: false'])], {
      inputs: { files: ['a.ts', 'b.ts', 'c.ts'] },
      script: { review: ['answer'], 'review[1]': [{ $error: 'auth' }] },
    });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    const { iterations } = result.steps.each as { iterations: Record<string, unknown>[] };
    expect(iterations.map((iteration) => iteration.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(iterations[1]).toMatchObject({ index: 1, item: 'b.ts', error: 'Provider.AuthFailed' });
    expect(result.entered).toContain('each.Failed');
  });

  it('by default, fails the loop (and the run) when an iteration fails', async () => {
    // Act
    const result = await runLines(stack, [...HEAD, ...loop([])], {
      inputs: { files: ['a.ts', 'b.ts'] },
      script: { 'review[1]': [{ $error: 'auth' }] },
    });

    // Assess
    expect(result.run.status).toBe('FAILED');
    // The step is named although its iteration 0 succeeded: attempts are judged per iteration.
    expect(result.run.error).toMatchObject({ name: 'Provider.AuthFailed', stepId: 'review' });
    expect(result.entered).not.toContain('each.Done');
  });

  it('skips items by continue_condition and stops before the first item of a break_condition', async () => {
    // Act
    const result = await runLines(
      stack,
      [
        ...HEAD,
        ...loop([
          '      continue_condition: "loop.file matches \'^skip\'"',
          '      break_condition: "loop.file == \'stop\'"',
        ]),
      ],
      { inputs: { files: ['a', 'skip-me', 'b', 'stop', 'c'] } },
    );

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    const each = result.steps.each as {
      total_items: number;
      break_index: number;
      iterations: Record<string, unknown>[];
    };
    expect(each).toMatchObject({ total_items: 5, break_index: 3 });
    expect(each.iterations.map(({ item, status }) => `${item}:${status}`)).toEqual([
      'a:SUCCEEDED',
      'skip-me:SKIPPED',
      'b:SUCCEEDED',
    ]);
    expect(each.iterations[1]).toMatchObject({
      reason: "continue_condition held: loop.file matches '^skip'",
    });
    // The break needs the first item it holds for: the step runner reads the list (spec loop_items).
    expect(result.bundle.steps.each).toMatchObject({
      kind: 'loop_items',
      dataSource: '{{inputs.files}}',
      breakCondition: expect.any(Object),
    });
    expect(result.calls).toEqual(['each', 'review', 'review']);
  });

  it("iterates a list from an answer in S3 through the runner's items Task, and nests loops with loop.parent", async () => {
    // Prepare
    const lines = [
      ...HEAD,
      '    - name: plan',
      '      type: claude',
      '      prompt: [{type: static, content: "List the groups as JSON"}]',
      '    - name: groups',
      '      type: for_loop',
      '      iterator: group',
      '      data_source: "plan:groups"',
      '      steps:',
      '        - name: members',
      '          type: for_loop',
      '          iterator: member',
      '          data_source: "{{loop.group.members}}"',
      '          steps:',
      '            - name: greet',
      '              type: claude',
      '              prompt: [{type: static, content: "Hi {{loop.member}} of {{loop.parent.group.name}}"}]',
    ];

    // Act
    const result = await runLines(stack, lines, {
      inputs: { files: [] },
      script: {
        plan: [
          {
            groups: [
              { name: 'core', members: ['ada', 'bob'] },
              { name: 'web', members: ['cy'] },
            ],
          },
        ],
      },
    });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(await requests(result, 'greet')).toEqual(['Hi ada of core', 'Hi bob of core', 'Hi cy of web']);
    const groups = result.steps.groups as {
      iterations: { steps: { members: { total_items: number } } }[];
    };
    expect(groups.iterations.map((iteration) => iteration.steps.members.total_items)).toEqual([2, 1]);
    expect(result.bundle.steps.groups).toMatchObject({
      kind: 'loop_items',
      dataSource: '{{steps.plan.groups}}',
    });
  });

  it('fails with Loop.ItemsInvalid when the data_source is not a list', async () => {
    // Act
    const result = await runLines(
      stack,
      [
        ...HEAD,
        '    - name: plan',
        '      type: claude',
        '      prompt: [{type: static, content: "x"}]',
        ...loop([]).map((line) => line.replace('{{inputs.files}}', '{{steps.plan.groups}}')),
      ],
      { inputs: { files: [] }, script: { plan: [{ groups: 'not a list' }] } },
    );

    // Assess
    expect(result.run.status).toBe('FAILED');
    expect(result.run.error).toMatchObject({ name: 'Loop.ItemsInvalid' });
  });
});

describe('for_loop attempts and reports', () => {
  it('counts attempts per iteration, addresses iterations in the mock script, and keeps body outputs in the iterations', async () => {
    // Act: iteration 1 is rate limited once; the plain list answers attempt 1 of every iteration
    const result = await runLlmLines(stack, [...HEAD, ...loop([])], {
      inputs: { files: ['a.ts', 'b.ts', 'c.ts'] },
      script: { review: ['fine'], 'review[1]': [{ $error: 'rate_limit' }, 'fixed'] },
    });

    // Assess: each attempt record says its iteration; numbers restart in each iteration (B4)
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.attempts.map(({ iteration, attempt, status }) => [iteration, attempt, status])).toEqual([
      [[0], 1, 'SUCCEEDED'],
      [[1], 1, 'FAILED'],
      [[1], 2, 'SUCCEEDED'],
      [[2], 1, 'SUCCEEDED'],
    ]);
    expect(result.json.steps).toEqual([
      { name: 'review', status: 'SUCCEEDED', attempts: 2, iterations: 3, degraded: false },
    ]);
    // Assess: the body's answers are in the loop's iterations only, each its own (B3)
    expect(Object.keys(result.json.outputs)).toEqual(['each']);
    const { iterations } = result.json.outputs.each as { iterations: { steps: { review: string } }[] };
    expect(iterations.map((iteration) => iteration.steps.review)).toEqual(['fine', 'fixed', 'fine']);
  });
});

describe('for_loop load errors', () => {
  it.each([
    [
      'a data_source with text around the template',
      ['      data_source: "files: {{inputs.files}}"'],
      'BAD_TEMPLATE@9:21',
    ],
    ['an unknown loop field', [], 'UNKNOWN_REFERENCE@14:47', '{{loop.nope}}'],
    ['max_parallel without parallel', ['      max_parallel: 4'], 'INVALID_VALUE@10:21'],
    ['an iterator named like a loop field', ['      iterator: index'], 'INVALID_VALUE@8:17'],
  ])('rejects %s', async (_, extra, expected, template = '{{loop.file}}') => {
    // Prepare
    const lines = loop([]).flatMap((line) => {
      const override = extra.find((e) => e.split(':')[0] === line.split(':')[0]);
      return override !== undefined ? [override] : [line.replace('{{loop.file}}', template)];
    });
    const added = extra.filter((e) => !loop([]).some((line) => line.split(':')[0] === e.split(':')[0]));
    const at = lines.findIndex((line) => line.includes('steps:'));

    // Act
    const result = await load([...HEAD, ...lines.slice(0, at), ...added, ...lines.slice(at)]);

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual([expected]);
  });

  it("rejects pipeline_ex's break step (its loop runner would crash on it, defect 22), pointing at break_condition", async () => {
    // Act
    const result = await load([...HEAD, ...loop([], ['        - name: stop', '          type: break'])]);

    // Assess
    expect(located(result)).toEqual(['UNKNOWN_STEP_TYPE@12:17']);
    expect(result.issues[0]?.hint).toContain('break_condition');
  });

  it('loads pipeline_ex data_source spellings with a warning showing the template', async () => {
    // Act
    const result = await load([
      ...HEAD,
      '    - name: plan',
      '      type: claude',
      '      prompt: [{type: static, content: "x"}]',
      ...loop([]).map((line) => line.replace('"{{inputs.files}}"', 'previous_response:plan:groups')),
    ]);

    // Assess
    expect(result.pipeline).toBeDefined();
    expect(located(result)).toEqual(['DEPRECATED_SYNTAX@12:20']);
    expect(result.issues[0]?.hint).toBe('write {{steps.plan.groups}}');
  });

  it('keeps body steps inside the loop: a later step reads them through the loop result', async () => {
    // Act
    const result = await load([
      ...HEAD,
      ...loop([]),
      '    - name: summary',
      '      type: claude',
      '      prompt: [{type: static, content: "{{steps.review.text}} {{steps.each.iterations}}"}]',
    ]);

    // Assess
    expect(located(result)).toEqual(['OUT_OF_SCOPE@17:41']);
    expect(result.issues[0]?.hint).toContain('{{steps.each.iterations}}');
  });
});

/** The prompts the mock was sent for a step, in attempt order, read back from the artifacts. */
async function requests(result: Awaited<ReturnType<typeof runLines>>, stepId: string): Promise<string[]> {
  const { createLocalStores } = await import('../../local/local-deps.js');
  const stores = createLocalStores(stack);
  const attempts = await stores.runs.listAttempts(result.run.tenantId, result.run.runId);
  const mine = attempts
    .filter((a) => a.stepId === stepId && a.artifactKey)
    .sort((a, b) => (a.iteration?.[0] ?? 0) - (b.iteration?.[0] ?? 0) || a.attempt - b.attempt);
  return Promise.all(
    mine.map(
      async (a) =>
        (await stores.artifacts.getJson<{ request: { prompt: string } }>(a.artifactKey as string)).request
          .prompt,
    ),
  );
}

function states(asl: unknown): Record<string, Record<string, unknown>> {
  return (asl as { States: Record<string, Record<string, unknown>> }).States;
}

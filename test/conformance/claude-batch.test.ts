import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionRequest, Provider } from '../../functions/ports/provider.js';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { load, located } from './harness.js';
import { allStates, artifactOf, runLlmLines } from './llm-harness.js';

/**
 * `claude_batch` (reference §5.8): tasks in a Map state whose MaxConcurrency is `max_parallel`
 * (maximum concurrency, always: defect 19), each with `timeout_per_task` and its own status, reading
 * earlier steps' results (defect 21), consolidated into one artifact. Past 40 tasks the Map is a
 * Distributed Map reading its items from an S3 manifest, run inline by the local executor.
 */

const HEAD = [
  'workflow:',
  '  name: batch_flow',
  '  steps:',
  '    - name: scope',
  '      type: claude',
  '      prompt: [{type: static, content: What matters most?}]',
];

function batch(config: string[], tasks: string[]): string[] {
  return [
    '    - name: reviews',
    '      type: claude_batch',
    '      batch_config:',
    ...config.map((line) => `        ${line}`),
    '      prompt: [{type: static, content: "Context: {{steps.scope.text}}"}]',
    '      tasks:',
    ...tasks,
  ];
}

const THREE_TASKS = [
  '        - task_id: api',
  '          prompt: Review the API.',
  '        - prompt: [{type: static, content: Review the storage.}]',
  '        - task_id: payments',
  '          prompt: Review the payments.',
];

/**
 * Counts the calls of a batch's tasks in flight. Each call waits until `group` calls are in flight, then they all
 * go on: a count of tasks divisible by `group` always fills every group if the Map allows `group`
 * iterations at once (so the maximum is reached without timing luck), and a Map allowing more shows
 * up as a maximum above `group`.
 */
function inFlightCounter(
  stepPrefix: string,
  group: number,
): { readonly wrap: (provider: Provider) => Provider; readonly max: () => number } {
  let current = 0;
  let max = 0;
  let waiting: (() => void)[] = [];
  return {
    wrap: (provider) => ({
      name: provider.name,
      complete: async (request: CompletionRequest) => {
        if (!request.stepId.startsWith(stepPrefix)) return provider.complete(request);
        current++;
        max = Math.max(max, current);
        try {
          if (current >= group) {
            for (const release of waiting) release();
            waiting = [];
          } else {
            await new Promise<void>((resolve) => waiting.push(resolve));
          }
          return await provider.complete(request);
        } finally {
          current--;
        }
      },
    }),
    max: () => max,
  };
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('claude_batch', () => {
  it('runs the tasks in a Map with each status, consolidated; tasks read earlier results', async () => {
    // Act
    const result = await runLlmLines(
      stack,
      [...HEAD, ...batch(['max_parallel: 2', 'timeout_per_task: 20000'], THREE_TASKS)],
      {
        script: { 'reviews.task_2': [{ $error: 'auth' }] },
      },
    );

    // Assess: the states, and the Map's settings
    expect(result.run.status).toBe('SUCCEEDED');
    const states = allStates(result.asl);
    expect(states.reviews).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.steps.reviews',
      MaxConcurrency: 2,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'reviews.Task' },
    });
    expect(states['reviews.Task']).toMatchObject({
      TimeoutSeconds: 20,
      Parameters: { 'stepId.$': '$.stepId' },
    });
    expect(result.entered.filter((name) => !name.startsWith('reviews.Task'))).toEqual([
      '_Initialize',
      'scope',
      'reviews.Items',
      'reviews',
      'reviews.Consolidate',
    ]);

    // Assess: one artifact with every task's status; the failed task makes the batch degraded
    const output = result.json.outputs.reviews as { batch_results: { task_id: string; status: string }[] };
    expect(output).toMatchObject({ total_tasks: 3, successful_tasks: 2, failed_tasks: 1 });
    expect(output.batch_results.map((task) => [task.task_id, task.status])).toEqual([
      ['api', 'success'],
      ['task_2', 'error'],
      ['payments', 'success'],
    ]);
    expect(result.json.steps.find((s) => s.name === 'reviews')).toMatchObject({
      degraded: true,
      degradedReason: 'failed_tasks',
      originalError: 'Provider.AuthFailed',
    });
    expect(result.steps?.reviews).toMatchObject({ fields: { total_tasks: 3, failed_tasks: 1 } });

    // Assess: each task's prompt is the step's preamble, with scope's answer, then its own prompt
    const scope = await artifactOf(result, 'scope');
    const api = await artifactOf(result, 'reviews.api');
    expect(api.request.prompt).toBe(`Context: ${scope.response.text}\nReview the API.`);
    const consolidated = await artifactOf(result, 'reviews');
    expect(consolidated.response.text).toContain('## task_2\n[error: Provider.AuthFailed]');
  });

  it("gives a task past timeout_per_task the status 'timeout' and lets the others finish", async () => {
    // Act: the provider never answers the storage task; the Task's TimeoutSeconds (1) ends it
    const result = await runLlmLines(stack, [...HEAD, ...batch(['timeout_per_task: 1000'], THREE_TASKS)], {
      wrap: (provider) => ({
        name: provider.name,
        complete: (request) =>
          request.stepId === 'reviews.task_2' ? new Promise(() => {}) : provider.complete(request),
      }),
    });

    // Assess
    const output = result.json.outputs.reviews as {
      successful_tasks: number;
      batch_results: { status: string; error?: string }[];
    };
    expect(output.batch_results[1]).toEqual({
      task_id: 'task_2',
      status: 'timeout',
      error: 'States.Timeout',
    });
    expect(output.successful_tasks).toBe(2);
  });

  it('fails the step with Batch.TooManyFailures past a declared tolerance', async () => {
    const result = await runLlmLines(
      stack,
      [...HEAD, ...batch(['tolerated_failure_count: 0'], THREE_TASKS)],
      {
        script: { 'reviews.api': [{ $error: 'auth' }] },
      },
    );

    expect(result.run.status).toBe('FAILED');
    expect(result.entered.slice(-2)).toEqual(['reviews.CheckFailures', 'reviews.TooManyFailures']);
  });

  it('runs 200 tasks in a Distributed Map with never more than max_parallel provider calls in flight', async () => {
    // Prepare
    const counter = inFlightCounter('reviews.', 10);
    const tasks = Array.from(
      { length: 200 },
      (_, i) => `        - {task_id: t${i + 1}, prompt: "Item ${i + 1}"}`,
    );

    // Act
    const lines = [
      'workflow:',
      '  name: big_batch',
      '  steps:',
      '    - name: reviews',
      '      type: claude_batch',
    ];
    const result = await runLlmLines(
      stack,
      [...lines, '      batch_config: {max_parallel: 10}', '      tasks:', ...tasks],
      {
        wrap: counter.wrap,
      },
    );

    // Assess: bounded and saturated concurrency, every task done
    expect(result.run.status).toBe('SUCCEEDED');
    expect(counter.max()).toBeLessThanOrEqual(10);
    expect(counter.max()).toBe(10);
    expect(result.json.outputs.reviews).toMatchObject({ total_tasks: 200, successful_tasks: 200 });

    // Assess: the cloud machinery, and the files the ResultWriter leaves in S3
    const map = allStates(result.asl).reviews;
    expect(map).toMatchObject({
      MaxConcurrency: 10,
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' } },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
    expect(result.entered).toContain('reviews.Manifest');
    const prefix = `tenants/conformance/runs/${result.run.runId}/steps/reviews/`;
    const keys = await result.stores.artifacts.list(prefix);
    expect(keys).toContain(`${prefix}manifest.json`);
    expect(
      keys.filter((key) => key.startsWith(`${prefix}results/`)).map((key) => key.split('/').at(-1)),
    ).toEqual(['SUCCEEDED_0.json', 'manifest.json']);
  });

  it.each([
    ['no tasks and no prompt', ['    - name: b', '      type: claude_batch'], 'INVALID_VALUE@4:7'],
    [
      'two tasks with one id',
      [
        '    - name: b',
        '      type: claude_batch',
        '      tasks:',
        '        - {task_id: t, prompt: x}',
        '        - {task_id: t, prompt: y}',
      ],
      'INVALID_VALUE@8:21',
    ],
    [
      "the documented 'id' instead of task_id",
      ['    - name: b', '      type: claude_batch', '      tasks:', '        - {id: t, prompt: x}'],
      'UNKNOWN_FIELD@7:12',
    ],
    [
      'a task with neither prompt nor file',
      ['    - name: b', '      type: claude_batch', '      tasks:', '        - {task_id: t}'],
      'INVALID_VALUE@7:11',
    ],
  ])('rejects %s', async (_, step, expected) => {
    const result = await load(['workflow:', '  name: x', '  steps:', ...step]);

    expect(located(result)).toEqual([expected]);
  });
});

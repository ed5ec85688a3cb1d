import { describe, expect, it } from 'vitest';
import { MemoryEventPublisher } from '../../../../functions/events/memory-publisher.js';
import type { AttemptRecord } from '../../../../functions/ports/attempts.js';
import { closeRun } from '../../../../functions/runs/close-run.js';
import { startRun } from '../../../../functions/runs/run-lifecycle.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import type { SpecBundle } from '../../../../pipelines/contract/spec-bundle.js';
import { compilePipeline } from '../../../../statemachines/compile.js';
import { pipelineOf } from '../../statemachines/pipeline-fixture.js';

const PIPELINE = pipelineOf({
  name: 'fix',
  steps: [
    {
      name: 'implement',
      type: 'claude',
      prompt: [{ type: 'static', content: 'Write the fix.' }],
      evaluators: [
        { name: 'reviewed', type: 'step_succeeded', step: 'review' },
        { name: 'tests_pass', type: 'step_succeeded', step: 'review', field: 'passed' },
      ],
    },
    { name: 'review', type: 'claude', prompt: [{ type: 'static', content: 'Run the tests.' }] },
  ],
});

async function finishWith(
  review: readonly Partial<AttemptRecord>[],
  reviewAnswer: unknown = { passed: true },
) {
  const artifacts = new MemoryArtifactStore('bucket');
  const runs = new MemoryRunStore();
  const deps = { artifacts, runs, now: () => new Date('2026-11-26T10:00:00Z') };
  const { run } = await startRun(
    { tenantId: 't', bundle: compilePipeline(PIPELINE).bundle as SpecBundle, inputs: {} },
    deps,
  );
  const attempt = (stepId: string, n: number, extra: Partial<AttemptRecord>): AttemptRecord => ({
    tenantId: 't',
    runId: run.runId,
    stepId,
    attempt: n,
    status: 'SUCCEEDED',
    provider: 'mock',
    model: 'm',
    usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
    costUsd: 0,
    priced: true,
    latencyMs: 1,
    promptVersion: `spec:${stepId}`,
    startedAt: '2026-11-26T09:00:00.000Z',
    ...extra,
  });
  await runs.putAttempt(attempt('implement', 1, { status: 'FAILED' }));
  await runs.putAttempt(attempt('implement', 2, {}));
  await artifacts.putJson('answers/review.json', { response: { text: '', data: reviewAnswer } });
  for (const [i, extra] of review.entries()) await runs.putAttempt(attempt('review', i + 1, extra));
  await closeRun(run, { status: 'SUCCEEDED' }, { ...deps, events: new MemoryEventPublisher() }, 0);
  return (await runs.listScores('t', run.runId)).map((s) => [s.evaluator, s.attempt, s.score, s.detail]);
}

describe('scoring a later step’s success when the run ends', () => {
  it('scores the last good attempt 1 when the later step succeeded with its field true', async () => {
    expect(await finishWith([{ artifactKey: 'answers/review.json' }])).toEqual([
      ['reviewed', 2, 1, undefined],
      ['tests_pass', 2, 1, undefined],
    ]);
  });

  it('scores 0 when the field is not true, or the later step failed or was answered by a fallback', async () => {
    expect(await finishWith([{ artifactKey: 'answers/review.json' }], { passed: false })).toEqual([
      ['reviewed', 2, 1, undefined],
      ['tests_pass', 2, 0, 'review.passed is false'],
    ]);
    expect(await finishWith([{ status: 'FAILED' }])).toEqual([
      ['reviewed', 2, 0, 'step review failed'],
      ['tests_pass', 2, 0, 'step review failed'],
    ]);
    expect((await finishWith([{ degraded: true }]))[0]).toEqual([
      'reviewed',
      2,
      0,
      'step review was answered by a fallback',
    ]);
  });

  it('gives no score when the later step never ran', async () => {
    expect(await finishWith([])).toEqual([]);
  });
});

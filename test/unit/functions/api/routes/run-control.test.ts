import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MockProvider } from '../../../../../functions/providers/mock-provider.js';
import { loadMockScript } from '../../../../../functions/providers/mock-script.js';
import { createApiHarness, gatedProvider, startRun } from '../../../../support/api-harness.js';
import { scratchDir } from '../../../../support/cli-harness.js';

/** A mock whose `review` step fails for good on attempt 1 and answers on attempt 2. */
async function reviewFailsOnce(): Promise<MockProvider> {
  const file = join(await scratchDir(), 'script.yaml');
  await writeFile(file, 'review:\n  - $error: auth\n  - "A fair review"\n');
  return new MockProvider({ script: await loadMockScript(file) });
}

/** Attempts per step of a run, e.g. `{outline: 1, review: 2, revise: 1}`. */
async function attemptsPerStep(harness: Awaited<ReturnType<typeof createApiHarness>>, runId: string) {
  const counts: Record<string, number> = {};
  for (const attempt of await harness.runs.listAttempts('a', runId)) {
    counts[attempt.stepId] = (counts[attempt.stepId] ?? 0) + 1;
  }
  return counts;
}

describe('POST /v1/runs/{runId}/cancel', () => {
  it('aborts a long run at once, and the engine reporting it later changes nothing', async () => {
    // Prepare
    const gate = gatedProvider();
    const harness = await createApiHarness({ providerFor: () => gate.provider });
    const runId = await startRun(harness);
    await gate.entered;

    // Act
    const response = await harness.call('POST', `/v1/runs/${runId}/cancel`);
    gate.release();
    await harness.engine.whenIdle();

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ runId, status: 'ABORTED' });
    expect(await harness.runs.getRun('a', runId)).toMatchObject({
      status: 'ABORTED',
      error: { name: 'Run.Cancelled', message: 'cancelled through the API' },
    });
    expect(harness.events.events.map((event) => event.detailType)).toEqual(['PipelineRunFailed']);
    expect(await attemptsPerStep(harness, runId)).toEqual({ outline: 1 });
  });

  it('refuses to cancel a run that has ended (409)', async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness);
    await harness.engine.whenIdle();

    // Act
    const response = await harness.call('POST', `/v1/runs/${runId}/cancel`);

    // Assess
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'RUN_NOT_RUNNING' } });
  });
});

describe('POST /v1/runs/{runId}/redrive', () => {
  it('reruns only the failed step and the ones after it', async () => {
    // Prepare
    const mock = await reviewFailsOnce();
    const harness = await createApiHarness({ providerFor: () => mock });
    const runId = await startRun(harness);
    await harness.engine.whenIdle();
    const failed = await harness.runs.getRun('a', runId);

    // Act
    const response = await harness.call('POST', `/v1/runs/${runId}/redrive`);
    const body = await response.json();
    await harness.engine.whenIdle();

    // Assess
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: { name: 'Provider.AuthFailed', stepId: 'review' },
    });
    expect(response.status).toBe(202);
    expect(body).toEqual({ runId, status: 'RUNNING' });
    const run = await harness.runs.getRun('a', runId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(run?.error).toBeUndefined();
    expect(await attemptsPerStep(harness, runId)).toEqual({ outline: 1, review: 2, revise: 1 });
    expect(harness.events.events.map((event) => event.detailType)).toEqual([
      'PipelineRunFailed',
      'PipelineRunCompleted',
    ]);
  });

  it('refuses to redrive a run that succeeded or is still running (409)', async () => {
    // Prepare
    const gate = gatedProvider();
    const harness = await createApiHarness({ providerFor: () => gate.provider });
    const runId = await startRun(harness);
    await gate.entered;

    // Act
    const whileRunning = await harness.call('POST', `/v1/runs/${runId}/redrive`);
    gate.release();
    await harness.engine.whenIdle();
    const afterSuccess = await harness.call('POST', `/v1/runs/${runId}/redrive`);

    // Assess
    expect([whileRunning.status, afterSuccess.status]).toEqual([409, 409]);
    expect(await afterSuccess.json()).toMatchObject({ error: { code: 'RUN_NOT_REDRIVABLE' } });
  });
});

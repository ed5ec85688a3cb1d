import { describe, expect, it } from 'vitest';
import { createApiHarness, startRun } from '../../../../support/api-harness.js';

describe('GET /v1/runs/{runId}/steps and /artifacts/{stepId}', () => {
  it('lists each step with its attempts, in pipeline order', async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness);
    await harness.engine.whenIdle();

    // Act
    const response = await harness.call('GET', `/v1/runs/${runId}/steps`);

    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      steps: { stepId: string; status: string; attempts: object[] }[];
    };
    expect(body.steps.map((step) => [step.stepId, step.status, step.attempts.length])).toEqual([
      ['outline', 'SUCCEEDED', 1],
      ['review', 'SUCCEEDED', 1],
      ['revise', 'SUCCEEDED', 1],
    ]);
    expect(body.steps[0]?.attempts[0]).toEqual({
      attempt: 1,
      status: 'SUCCEEDED',
      provider: 'mock',
      model: expect.any(String),
      promptVersion: expect.stringMatching(/^spec:/),
      startedAt: expect.any(String),
      latencyMs: expect.any(Number),
      usage: expect.objectContaining({ inputTokens: expect.any(Number) }),
      costUsd: 0,
      priced: true,
    });
  });

  it("serves a step's artifact: the prompt it rendered and the answer", async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness, 'chain', { input: { topic: 'tides' } });
    await harness.engine.whenIdle();

    // Act
    const latest = await harness.call('GET', `/v1/runs/${runId}/artifacts/outline`);
    const first = await harness.call('GET', `/v1/runs/${runId}/artifacts/outline?attempt=1`);

    // Assess
    expect(latest.status).toBe(200);
    const artifact = await latest.json();
    expect(artifact).toMatchObject({
      stepId: 'outline',
      attempt: 1,
      request: { prompt: expect.stringContaining('tides') },
      response: { text: expect.stringContaining('[mock') },
    });
    expect(await first.json()).toEqual(artifact);
  });

  it('answers 404 naming the steps for an unknown step, and for an attempt without an artifact', async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness);
    await harness.engine.whenIdle();

    // Act
    const unknown = await harness.call('GET', `/v1/runs/${runId}/artifacts/nope`);
    const noAttempt = await harness.call('GET', `/v1/runs/${runId}/artifacts/outline?attempt=9`);

    // Assess
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: {
        code: 'STEP_NOT_FOUND',
        details: [{ field: 'stepId', message: expect.stringContaining('outline') }],
      },
    });
    expect(noAttempt.status).toBe(404);
    expect(await noAttempt.json()).toMatchObject({ error: { code: 'ARTIFACT_NOT_FOUND' } });
  });
});

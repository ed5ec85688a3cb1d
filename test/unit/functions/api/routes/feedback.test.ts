import { describe, expect, it } from 'vitest';
import { createApiHarness, startRun } from '../../../../support/api-harness.js';

describe('POST /v1/runs/{runId}/feedback', () => {
  it('stores a step score with the prompt version that produced the answer', async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness);
    await harness.engine.whenIdle();
    const [reviewAttempt] = (await harness.runs.listAttempts('a', runId)).filter(
      (a) => a.stepId === 'review',
    );

    // Act
    const response = await harness.call('POST', `/v1/runs/${runId}/feedback`, {
      json: { score: 0.25, stepId: 'review', comment: 'missed the point' },
    });

    // Assess
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      feedbackId: expect.any(String),
      runId,
      score: 0.25,
      stepId: 'review',
      promptVersion: reviewAttempt?.promptVersion,
      comment: 'missed the point',
      createdAt: expect.any(String),
    });
    expect(await harness.runs.listFeedback('a', runId)).toEqual([{ ...body, tenantId: 'a' }]);
  });

  it('scores the whole run when no step is named', async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness);

    // Act
    const response = await harness.call('POST', `/v1/runs/${runId}/feedback`, { json: { score: 1 } });

    // Assess
    expect(response.status).toBe(201);
    expect(await harness.runs.listFeedback('a', runId)).toEqual([expect.objectContaining({ score: 1 })]);
  });

  it.each([
    [{ score: 1.5 }, 400, 'score'],
    [{ score: '1' }, 400, 'score'],
    [{}, 400, 'score'],
    [{ score: 1, stars: 5 }, 400, 'stars'],
    [{ score: 1, stepId: 'nope' }, 422, 'stepId'],
  ])('refuses %j with %i naming %s, storing nothing', async (json, status, field) => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness);

    // Act
    const response = await harness.call('POST', `/v1/runs/${runId}/feedback`, { json });

    // Assess
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: { details: [expect.objectContaining({ field })] } });
    expect(await harness.runs.listFeedback('a', runId)).toEqual([]);
  });
});

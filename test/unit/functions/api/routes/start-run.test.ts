import { describe, expect, it } from 'vitest';
import { createApiHarness } from '../../../../support/api-harness.js';

describe('POST /v1/pipelines/{name}/runs', () => {
  it('starts a run that executes in the background to completion', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('POST', '/v1/pipelines/chain/runs', {
      json: { input: { topic: 'tides' } },
    });
    const body = (await response.json()) as { runId: string; status: string };
    await harness.engine.whenIdle();

    // Assess
    expect(response.status).toBe(201);
    expect(body).toEqual({ runId: expect.stringMatching(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/), status: 'RUNNING' });
    const run = await harness.runs.getRun('a', body.runId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', inputs: { topic: 'tides' }, pipeline: 'chain' });
    expect(harness.events.events).toEqual([
      {
        detailType: 'PipelineRunCompleted',
        detail: expect.objectContaining({ runId: body.runId, status: 'SUCCEEDED' }),
      },
    ]);
  });

  it('starts with the declared defaults when the body is left out', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('POST', '/v1/pipelines/chain/runs');
    const { runId } = (await response.json()) as { runId: string };

    // Assess
    expect(response.status).toBe(201);
    expect((await harness.runs.getRun('a', runId))?.inputs).toEqual({ topic: 'serverless LLM pipelines' });
  });

  it('returns the same run for 20 concurrent requests with one idempotency key', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? harness.call('POST', '/v1/pipelines/chain/runs', {
              json: { input: { topic: 'x' }, idempotencyKey: 'order-7' },
            })
          : harness.call('POST', '/v1/pipelines/chain/runs', {
              json: { input: { topic: 'x' } },
              headers: { 'Idempotency-Key': 'order-7' },
            }),
      ),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { runId: string }[];
    await harness.engine.whenIdle();

    // Assess
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(bodies.map((b) => b.runId)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('Idempotent-Replayed') === 'true')).toHaveLength(19);
    expect((await harness.runs.listRuns('a', { limit: 100 })).runs).toHaveLength(1);
  });

  it('refuses an idempotency key reused with another input (422) and a header that disagrees with the body (400)', async () => {
    // Prepare
    const harness = await createApiHarness();
    await harness.call('POST', '/v1/pipelines/chain/runs', {
      json: { input: { topic: 'x' }, idempotencyKey: 'k' },
    });

    // Act
    const reused = await harness.call('POST', '/v1/pipelines/chain/runs', {
      json: { input: { topic: 'y' }, idempotencyKey: 'k' },
    });
    const disagreeing = await harness.call('POST', '/v1/pipelines/chain/runs', {
      json: { idempotencyKey: 'k' },
      headers: { 'Idempotency-Key': 'other' },
    });

    // Assess
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({
      error: { code: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'idempotencyKey' }] },
    });
    expect(disagreeing.status).toBe(400);
    expect(await disagreeing.json()).toMatchObject({ error: { details: [{ field: 'idempotencyKey' }] } });
  });

  it("checks the input against the pipeline's declared inputs, naming each field", async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('POST', '/v1/pipelines/chain/runs', {
      json: { input: { topic: 3, extra: true } },
    });

    // Assess
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as { error: { code: string; details: { field: string }[] } };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details.map((d) => d.field).sort()).toEqual(['input.extra', 'input.topic']);
    expect((await harness.runs.listRuns('a', { limit: 10 })).runs).toEqual([]);
  });

  it('answers 404 PIPELINE_NOT_FOUND for a pipeline nobody has', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('POST', '/v1/pipelines/nope/runs', { json: {} });

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'PIPELINE_NOT_FOUND' } });
  });
});

import { describe, expect, it } from 'vitest';
import { createApiHarness, startRun } from '../../../../support/api-harness.js';

interface RunPage {
  runs: { runId: string; pipeline: string; status: string }[];
  cursor?: string;
}

describe('GET /v1/runs and GET /v1/runs/{runId}', () => {
  it('reads a run as stored, without tenant, keys or ARNs', async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness, 'chain', { input: { topic: 'tides' } });
    await harness.engine.whenIdle();

    // Act
    const response = await harness.call('GET', `/v1/runs/${runId}`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      runId,
      pipeline: 'chain',
      status: 'SUCCEEDED',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      inputs: { topic: 'tides' },
      redriveCount: 0,
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number), costUsd: 0 },
    });
  });

  it('lists runs newest first, a page at a time, filtered by pipeline and status', async () => {
    // Prepare
    const harness = await createApiHarness();
    const ids = [];
    for (const pipeline of ['chain', 'hello', 'chain', 'chain']) ids.push(await startRun(harness, pipeline));
    await harness.engine.whenIdle();

    // Act
    const first = (await (await harness.call('GET', '/v1/runs?pipeline=chain&limit=2')).json()) as RunPage;
    const second = (await (
      await harness.call('GET', `/v1/runs?pipeline=chain&limit=2&cursor=${first.cursor}`)
    ).json()) as RunPage;
    const failed = (await (await harness.call('GET', '/v1/runs?status=FAILED')).json()) as RunPage;

    // Assess
    expect(first.runs.map((run) => run.runId)).toEqual([ids[3], ids[2]]);
    expect(second).toEqual({ runs: [expect.objectContaining({ runId: ids[0] })] });
    expect(failed).toEqual({ runs: [] });
  });

  it.each([
    ['/v1/runs?limit=0', 'limit'],
    ['/v1/runs?limit=many', 'limit'],
    ['/v1/runs?status=DONE', 'status'],
    ['/v1/runs?cursor=not-a-cursor', 'cursor'],
  ])('answers %s with 400 naming %s', async (path, field) => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('GET', path);

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID_REQUEST', details: [{ field }] } });
  });

  it('answers 404 RUN_NOT_FOUND for a run that does not exist', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('GET', '/v1/runs/20261126T101530123Z-00000000');

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { code: 'RUN_NOT_FOUND', details: [{ field: 'runId' }] },
    });
  });
});

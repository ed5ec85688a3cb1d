import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createApiHarness, startRun } from '../../../support/api-harness.js';

/** Every route of the API, with a run id and a pipeline name filled in. */
function everyRoute(runId: string, pipeline: string): [string, string][] {
  return [
    ['GET', '/v1/pipelines'],
    ['PUT', `/v1/pipelines/${pipeline}`],
    ['POST', `/v1/pipelines/${pipeline}/runs`],
    ['GET', '/v1/runs'],
    ['GET', `/v1/runs/${runId}`],
    ['GET', `/v1/runs/${runId}/steps`],
    ['GET', `/v1/runs/${runId}/artifacts/outline`],
    ['POST', `/v1/runs/${runId}/cancel`],
    ['POST', `/v1/runs/${runId}/redrive`],
    ['POST', `/v1/runs/${runId}/feedback`],
    ['GET', '/v1/openapi.json'],
    ['GET', '/v1/no-such-route'],
  ];
}

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an unknown key', 'Bearer key-nobody-has-0123456789'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
  ])('answers every route with 401 for %s, and runs nothing', async (_, authorization) => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness);
    await harness.engine.whenIdle();

    for (const [method, path] of everyRoute(runId, 'chain')) {
      // Act
      const response = await harness.app.request(path, {
        method,
        headers: {
          'Content-Type': 'application/json',
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: method === 'GET' ? null : JSON.stringify({ score: 1 }),
      });

      // Assess
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="elexirion"');
      expect(await response.json()).toMatchObject({
        error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
      });
    }
    expect((await harness.runs.listRuns('a', { limit: 10 })).runs).toHaveLength(1);
  });

  it('never echoes the key, even a wrong one, in a reply', async () => {
    // Prepare
    const harness = await createApiHarness();
    const secret = 'Bearer key-that-must-not-leak-0123456789';

    // Act
    const response = await harness.app.request('/v1/runs', { headers: { Authorization: secret } });

    // Assess
    expect(await response.text()).not.toContain('must-not-leak');
  });
});

describe('tenant isolation', () => {
  it("answers 404 to every route that names another tenant's run or pipeline, and lists none of them", async () => {
    // Prepare: tenant a has a run and a privately registered pipeline
    const harness = await createApiHarness();
    const yaml = (await readFile('pipelines/examples/chain.yaml', 'utf8')).replace(
      'name: chain',
      'name: private_chain',
    );
    await harness.call('PUT', '/v1/pipelines/private_chain', {
      body: yaml,
      headers: { 'Content-Type': 'application/yaml' },
    });
    const runId = await startRun(harness, 'private_chain');
    await harness.engine.whenIdle();

    // Act
    const replies = new Map<string, number>();
    for (const [method, path] of everyRoute(runId, 'private_chain')) {
      if (method === 'PUT' || path.includes('openapi') || path.includes('no-such')) continue;
      const json = path.endsWith('/feedback') ? { score: 1 } : {};
      const response = await harness.call(method, path, { as: 'b', ...(method === 'POST' ? { json } : {}) });
      replies.set(`${method} ${path}`, response.status);
      if (response.status === 404) {
        const body = (await response.json()) as { error: { code: string } };
        expect(['RUN_NOT_FOUND', 'PIPELINE_NOT_FOUND']).toContain(body.error.code);
      }
    }
    const runsOfB = (await (await harness.call('GET', '/v1/runs', { as: 'b' })).json()) as { runs: object[] };
    const pipelinesOfB = (await (await harness.call('GET', '/v1/pipelines', { as: 'b' })).json()) as {
      pipelines: { name: string }[];
    };

    // Assess
    expect(Object.fromEntries(replies)).toEqual({
      'GET /v1/pipelines': 200,
      'POST /v1/pipelines/private_chain/runs': 404,
      'GET /v1/runs': 200,
      [`GET /v1/runs/${runId}`]: 404,
      [`GET /v1/runs/${runId}/steps`]: 404,
      [`GET /v1/runs/${runId}/artifacts/outline`]: 404,
      [`POST /v1/runs/${runId}/cancel`]: 404,
      [`POST /v1/runs/${runId}/redrive`]: 404,
      [`POST /v1/runs/${runId}/feedback`]: 404,
    });
    expect(runsOfB.runs).toEqual([]);
    expect(pipelinesOfB.pipelines.map((p) => p.name)).not.toContain('private_chain');
    expect(await harness.runs.listFeedback('a', runId)).toEqual([]);
    const untouched = await harness.runs.getRun('a', runId);
    expect(untouched?.status).toBe('SUCCEEDED');
    expect(untouched?.redriveCount).toBeUndefined();
  });

  it("registers a pipeline under the caller's tenant only, leaving the other tenant's version alone", async () => {
    // Prepare
    const harness = await createApiHarness();
    const yaml = (await readFile('pipelines/examples/chain.yaml', 'utf8')).replace(
      'name: chain',
      'name: shared_name',
    );
    const headers = { 'Content-Type': 'application/yaml' };
    await harness.call('PUT', '/v1/pipelines/shared_name', { body: yaml, headers });

    // Act
    const ofB = await harness.call('PUT', '/v1/pipelines/shared_name', {
      as: 'b',
      body: yaml.replace('five-point', 'two-point'),
      headers,
    });

    // Assess
    expect(ofB.status).toBe(201);
    const [a, b] = [
      await harness.runs.getPipeline('a', 'shared_name'),
      await harness.runs.getPipeline('b', 'shared_name'),
    ];
    expect(a?.bundleHash).not.toBe(b?.bundleHash);
    expect(a?.stateMachine).not.toBe(b?.stateMachine);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../../functions/api/app.js';
import { createApiHarness } from '../../../support/api-harness.js';

describe('the run API app', () => {
  it('serves an OpenAPI 3.1 document of every route, with the bearer scheme', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('GET', '/v1/openapi.json');

    // Assess
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: object; schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(
      Object.fromEntries(Object.entries(doc.paths).map(([path, ops]) => [path, Object.keys(ops).sort()])),
    ).toEqual({
      '/v1/pipelines': ['get'],
      '/v1/pipelines/{name}': ['put'],
      '/v1/pipelines/{name}/runs': ['post'],
      '/v1/runs': ['get'],
      '/v1/runs/{runId}': ['get'],
      '/v1/runs/{runId}/steps': ['get'],
      '/v1/runs/{runId}/artifacts/{stepId}': ['get'],
      '/v1/runs/{runId}/cancel': ['post'],
      '/v1/runs/{runId}/redrive': ['post'],
      '/v1/runs/{runId}/feedback': ['post'],
      '/v1/workspaces': ['post'],
      '/v1/runs/{runId}/patch': ['get'],
    });
    expect(doc.components.securitySchemes).toEqual({ ApiKey: expect.objectContaining({ scheme: 'bearer' }) });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Error', 'Run', 'StartRun', 'Artifact', 'Workspace']),
    );
  });

  it('answers an unknown route with a JSON 404', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('DELETE', '/v1/runs');

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND', details: [] } });
  });

  it('refuses a body over the limit with 413, before reading it', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('POST', '/v1/pipelines/chain/runs', {
      json: { input: { topic: 'x'.repeat(MAX_BODY_BYTES) } },
    });

    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect((await harness.runs.listRuns('a', { limit: 1 })).runs).toEqual([]);
  });

  it('answers an internal failure with 500 and an incident id, reporting the error and not its message', async () => {
    // Prepare
    const harness = await createApiHarness();
    harness.runs.getRun = async () => {
      throw new Error('table on fire: secret detail');
    };

    // Act
    const response = await harness.call('GET', '/v1/runs/r-1');

    // Assess
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret detail');
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 'INTERNAL_ERROR', message: expect.stringMatching(/incident/) },
    });
    expect(harness.errors).toEqual([expect.objectContaining({ message: 'table on fire: secret detail' })]);
  });
});

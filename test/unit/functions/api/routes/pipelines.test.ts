import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createApiHarness, startRun } from '../../../../support/api-harness.js';

/** The chain example, renamed. */
async function chainYaml(name: string): Promise<string> {
  return (await readFile('pipelines/examples/chain.yaml', 'utf8')).replace('name: chain', `name: ${name}`);
}

const YAML = { 'Content-Type': 'application/yaml' };

describe('GET /v1/pipelines and PUT /v1/pipelines/{name}', () => {
  it('lists the shipped pipelines with their inputs and steps', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('GET', '/v1/pipelines');

    // Assess
    expect(response.status).toBe(200);
    const { pipelines } = (await response.json()) as { pipelines: { name: string }[] };
    const names = pipelines.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['chain', 'hello']));
    expect(names).toEqual([...names].sort());
    expect(pipelines.find((p) => p.name === 'chain')).toMatchObject({
      source: 'shipped',
      steps: ['outline', 'review', 'revise'],
      inputs: { topic: { type: 'string' } },
    });
  });

  it('registers a pipeline (201), updates it (200), and starts runs of it', async () => {
    // Prepare
    const harness = await createApiHarness();
    const yaml = await chainYaml('my_chain');

    // Act
    const created = await harness.call('PUT', '/v1/pipelines/my_chain', { body: yaml, headers: YAML });
    const updated = await harness.call('PUT', '/v1/pipelines/my_chain', {
      body: yaml.replace('five-point', 'three-point'),
      headers: { 'Content-Type': 'text/yaml; charset=utf-8' },
    });
    const runId = await startRun(harness, 'my_chain');
    await harness.engine.whenIdle();
    const listed = (await (await harness.call('GET', '/v1/pipelines')).json()) as { pipelines: object[] };

    // Assess
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      name: 'my_chain',
      created: true,
      bundleHash: expect.any(String),
      warnings: [],
    });
    expect(updated.status).toBe(200);
    expect(await harness.runs.getRun('a', runId)).toMatchObject({
      status: 'SUCCEEDED',
      stateMachine: expect.stringMatching(/:stateMachine:elexirion-a_api_my_chain$/),
    });
    const artifact = (await (await harness.call('GET', `/v1/runs/${runId}/artifacts/outline`)).json()) as {
      request: { prompt: string };
    };
    expect(artifact.request.prompt).toContain('three-point');
    expect(listed.pipelines).toContainEqual(
      expect.objectContaining({ name: 'my_chain', source: 'registered' }),
    );
  });

  it('answers invalid YAML with 422 and every error at its line and column, changing nothing', async () => {
    // Prepare
    const harness = await createApiHarness();
    const yaml = (await chainYaml('broken')).replace('type: gemini', 'type: gemni');

    // Act
    const response = await harness.call('PUT', '/v1/pipelines/broken', { body: yaml, headers: YAML });

    // Assess
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as {
      error: {
        code: string;
        message: string;
        details: { line: number; col: number; code: string; field: string }[];
      };
    };
    expect(error.code).toBe('INVALID_PIPELINE');
    expect(error.details).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_STEP_TYPE',
        field: 'workflow.steps[1].type',
        line: 25,
        col: 13,
      }),
    ]);
    expect(error.message).toContain('broken.yaml:25:13: error[UNKNOWN_STEP_TYPE]');
    expect(await harness.runs.listPipelines('a')).toEqual([]);
    expect(await harness.artifacts.list('tenants/')).toEqual([]);
  });

  it.each([
    [
      'a body in another media type',
      { 'Content-Type': 'application/json' },
      'chain_x',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['a name that differs from workflow.name', YAML, 'other_name', 422, 'INVALID_PIPELINE'],
  ])('refuses %s', async (_, headers, name, status, code) => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('PUT', `/v1/pipelines/${name}`, {
      body: await chainYaml('chain_x'),
      headers,
    });

    // Assess
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: { code } });
    expect(await harness.runs.listPipelines('a')).toEqual([]);
  });

  it('refuses file prompt parts, which a registered pipeline has no folder to read from', async () => {
    // Prepare
    const harness = await createApiHarness();
    const yaml =
      'workflow:\n  name: reader\n  steps:\n    - name: read\n      type: claude\n      prompt:\n        - type: file\n          path: notes.md\n';

    // Act
    const response = await harness.call('PUT', '/v1/pipelines/reader', { body: yaml, headers: YAML });

    // Assess
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: {
        details: [{ code: 'FILE_NOT_FOUND', line: 8, message: expect.stringContaining('static part') }],
      },
    });
  });
});

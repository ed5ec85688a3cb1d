import { describe, expect, it } from 'vitest';
import type { Provider } from '../../../../../functions/ports/provider.js';
import { MockProvider } from '../../../../../functions/providers/mock-provider.js';
import { createApiHarness } from '../../../../support/api-harness.js';

/** The mock provider, counting its calls. */
function countingProvider(): { provider: Provider; calls: () => number } {
  const mock = new MockProvider();
  let calls = 0;
  return {
    provider: {
      name: 'mock',
      complete(request) {
        calls++;
        return mock.complete(request);
      },
    },
    calls: () => calls,
  };
}

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

  it('runs a nested pipeline (report.yaml) with its child as a machine of its own, as deployed', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await harness.call('POST', '/v1/pipelines/report/runs', { json: {} });
    const { runId } = (await response.json()) as { runId: string };
    await harness.engine.whenIdle();

    // Assess
    expect(response.status).toBe(201);
    expect(await harness.runs.getRun('a', runId)).toMatchObject({ status: 'SUCCEEDED' });
    const attempts = await harness.runs.listAttempts('a', runId);
    expect(attempts.map((attempt) => [attempt.stepId, attempt.status])).toContainEqual([
      'summary.draft',
      'SUCCEEDED',
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

  it('answers 409 IDEMPOTENCY_IN_PROGRESS with Retry-After while the first request with the key has not recorded its run', async () => {
    // Prepare: the first request claims the key, then hangs before recording its run
    const harness = await createApiHarness();
    harness.runs.putRun = () => new Promise<void>(() => {});
    const request = { json: { input: { topic: 'x' }, idempotencyKey: 'stuck' } };
    void harness.call('POST', '/v1/pipelines/chain/runs', request);
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    const again = await harness.call('POST', '/v1/pipelines/chain/runs', request);

    // Assess
    expect(again.status).toBe(409);
    expect(Number(again.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await again.json()).toMatchObject({
      error: { code: 'IDEMPOTENCY_IN_PROGRESS', details: [{ field: 'idempotencyKey' }] },
    });
  });

  it.each([
    ['SUCCEEDED', [], undefined],
    ['FAILED', [{ kind: 'error', error: 'auth' }], 'Provider.AuthFailed'],
  ] as const)('answers a replay of a run that ended %s with that status', async (status, outline, error) => {
    // Prepare: a run started with a key, run to its end (FAILED: a permanent error in its first step)
    const script = { path: 'replay.mock.yaml', steps: new Map([['outline', outline]]) };
    const mock = new MockProvider(outline.length ? { script } : {});
    const harness = await createApiHarness({ providerFor: () => mock });
    const request = { json: { input: { topic: 'tides' }, idempotencyKey: `ended-${status}` } };
    const first = await harness.call('POST', '/v1/pipelines/chain/runs', request);
    const { runId } = (await first.json()) as { runId: string };
    await harness.engine.whenIdle();

    // Act
    const again = await harness.call('POST', '/v1/pipelines/chain/runs', request);

    // Assess
    const run = await harness.runs.getRun('a', runId);
    expect([run?.status, run?.error?.name]).toEqual([status, error]);
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.json()).toEqual({ runId, status });
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

  it('refuses an input the execution state has no room for, before writing anything or calling a model', async () => {
    // Prepare: 261 KB fits the 256 KiB body limit, but not the state beside what chain's steps add
    const counting = countingProvider();
    const harness = await createApiHarness({ providerFor: () => counting.provider });
    const topic = 'x'.repeat(261_000);

    // Act
    const response = await harness.call('POST', '/v1/pipelines/chain/runs', {
      json: { input: { topic }, idempotencyKey: 'big' },
    });
    await harness.engine.whenIdle();

    // Assess: a 422 naming the input, its size, the limit and what to do; no run, no call, no claim
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as {
      error: { code: string; details: { field: string; message: string }[] };
    };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details).toEqual([{ field: 'input.topic', message: expect.any(String) }]);
    expect(error.details[0]?.message).toMatch(
      /^the input "topic" is 261002 bytes as JSON: .* could reach \d+ bytes, over Step Functions' limit of 262144 bytes \(256 KiB\) per state; .*S3 object.*pass its key/,
    );
    expect((await harness.runs.listRuns('a', { limit: 10 })).runs).toEqual([]);
    expect(counting.calls()).toBe(0);
    const fitting = await harness.call('POST', '/v1/pipelines/chain/runs', {
      json: { input: { topic: 'tides' }, idempotencyKey: 'big' },
    });
    expect(fitting.status).toBe(201);
    expect(fitting.headers.get('Idempotent-Replayed')).toBeNull();
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

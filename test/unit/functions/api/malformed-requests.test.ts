import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../../functions/api/app.js';
import { type ApiHarness, createApiHarness, KEYS, startRun } from '../../../support/api-harness.js';

/** A request as the property generates it. */
interface Malformed {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
}

const json = (value: unknown) => JSON.stringify(value);
const notAnObject = fc.oneof(
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer()),
);
const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string()),
  fc.object(),
);
const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Every kind of malformed request; `runId` is a run of tenant `a` that exists. */
function malformedRequests(runId: string): fc.Arbitrary<Malformed> {
  const start = (body: string, contentType = 'application/json') => ({
    method: 'POST',
    path: '/v1/pipelines/chain/runs',
    body,
    contentType,
  });
  const feedback = (body: string) => ({
    method: 'POST',
    path: `/v1/runs/${runId}/feedback`,
    body,
    contentType: 'application/json',
  });
  return fc.oneof(
    notAnObject.map((input) => ({ kind: 'input of the wrong type', ...start(json({ input })) })),
    notAString.map((topic) => ({
      kind: 'declared input of the wrong type',
      ...start(json({ input: { topic } })),
    })),
    fc
      .oneof(
        fc.constant(''),
        fc.string({ minLength: 256, maxLength: 300 }),
        fc.integer(),
        fc.constant('tab\tkey'),
      )
      .map((key) => ({ kind: 'bad idempotency key', ...start(json({ idempotencyKey: key })) })),
    fc
      .dictionary(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((k) => !['input', 'idempotencyKey', '__proto__'].includes(k)),
        fc.jsonValue(),
        { minKeys: 1, maxKeys: 3 },
      )
      .map((body) => ({ kind: 'unknown fields', ...start(json(body)) })),
    fc
      .string({ maxLength: 40 })
      .filter((text) => text.trim() !== '' && !isJson(text))
      .map((text) => ({ kind: 'bad JSON', ...start(text) })),
    fc.integer({ min: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES * 2 }).map((size) => ({
      kind: 'huge body',
      ...start(json({ input: { topic: 'x'.repeat(size) } })),
    })),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded').map((type) => ({
      kind: 'wrong media type',
      ...start(json({ input: {} }), type),
    })),
    fc
      .stringMatching(/^[a-z][a-z0-9_]{0,20}$/)
      .filter((name) => !['chain', 'hello'].includes(name))
      .map((name) => ({
        kind: 'unknown pipeline',
        method: 'POST',
        path: `/v1/pipelines/${name}/runs`,
        body: '{}',
        contentType: 'application/json',
      })),
    fc.constantFrom('-x', 'a.b', 'x'.repeat(81)).map((name) => ({
      kind: 'impossible pipeline name',
      method: 'POST',
      path: `/v1/pipelines/${encodeURIComponent(name)}/runs`,
      body: '{}',
      contentType: 'application/json',
    })),
    fc
      .oneof(
        fc.double({ min: 1.000001, max: 1e9, noNaN: true }).map((score) => ({ score })),
        fc.double({ min: -1e9, max: -0.000001, noNaN: true }).map((score) => ({ score })),
        notAString.filter((v) => typeof v !== 'number').map((score) => ({ score })),
        fc.constant({}),
        fc.string({ minLength: 1, maxLength: 10 }).map((stepId) => ({ score: 0.5, stepId: `no_${stepId}` })),
        fc.string({ minLength: 4001, maxLength: 4100 }).map((comment) => ({ score: 0.5, comment })),
      )
      .map((body) => ({ kind: 'bad feedback', ...feedback(json(body)) })),
    fc.constantFrom('cancel', 'redrive', 'feedback', 'steps').map((action) => ({
      kind: 'unknown run',
      method: action === 'steps' ? 'GET' : 'POST',
      path: `/v1/runs/20261126T101530123Z-00000000/${action}`,
      ...(action === 'feedback' ? { body: json({ score: 1 }), contentType: 'application/json' } : {}),
    })),
    fc
      .oneof(
        fc.constant('limit=0'),
        fc.constant('limit=101'),
        fc.constant('status=DONE'),
        fc.string().map((c) => `cursor=${encodeURIComponent(`${c}!`)}`),
      )
      .map((query) => ({ kind: 'bad listing query', method: 'GET', path: `/v1/runs?${query}` })),
    fc
      .string({ maxLength: 60 })
      .filter((text) => !text.includes('workflow'))
      .map((text) => ({
        kind: 'invalid pipeline YAML',
        method: 'PUT',
        path: '/v1/pipelines/chain_new',
        body: text,
        contentType: 'application/yaml',
      })),
  );
}

/** Counts every write the API could make: store records, artifacts, state machines, executions. */
function countWrites(harness: ApiHarness): () => number {
  let writes = 0;
  const spy = <T extends object>(target: T, methods: (keyof T)[]) => {
    for (const method of methods) {
      const original = target[method] as (...args: unknown[]) => unknown;
      target[method] = ((...args: unknown[]) => {
        writes++;
        return original.apply(target, args);
      }) as T[keyof T];
    }
  };
  spy(harness.runs, [
    'putRun',
    'replaceRun',
    'claimIdempotencyKey',
    'completeIdempotencyKey',
    'releaseIdempotencyKey',
    'putFeedback',
    'putPipeline',
    'putAttempt',
    'nextAttempt',
  ]);
  spy(harness.artifacts, ['putJson']);
  spy(harness.engine, ['startExecution', 'deployStateMachine', 'stopExecution', 'redriveExecution']);
  return () => writes;
}

describe('malformed requests', () => {
  it('each get a 4xx JSON error naming what is wrong, and leave no record behind', async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness);
    await harness.engine.whenIdle();
    const writes = countWrites(harness);
    const seen = new Set<string>();

    // Act + Assess, 200 times
    await fc.assert(
      fc.asyncProperty(malformedRequests(runId), async (request) => {
        seen.add(request.kind);
        const response = await harness.app.request(request.path, {
          method: request.method,
          headers: {
            Authorization: `Bearer ${KEYS.a}`,
            ...(request.contentType ? { 'Content-Type': request.contentType } : {}),
          },
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        const body = (await response.json()) as {
          error: { code: unknown; message: unknown; details: unknown };
        };
        expect(response.status, `${request.kind}: ${request.method} ${request.path}`).toBeGreaterThanOrEqual(
          400,
        );
        expect(response.status).toBeLessThan(500);
        expect(body.error).toEqual({
          code: expect.any(String),
          message: expect.any(String),
          details: expect.any(Array),
        });
        expect(writes(), `${request.kind} wrote something`).toBe(0);
      }),
      { numRuns: 200 },
    );
    expect(harness.errors).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(10);
    expect((await harness.runs.listRuns('a', { limit: 10 })).runs.map((run) => run.runId)).toEqual([runId]);
  });
});

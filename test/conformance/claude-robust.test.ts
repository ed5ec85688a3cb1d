import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionRequest, Provider } from '../../functions/ports/provider.js';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { compilePipeline } from '../../statemachines/compile.js';
import { runCli, scratchDir } from '../support/cli-harness.js';
import { load, located } from './harness.js';
import { allStates, artifactOf, runLlmLines } from './llm-harness.js';

/**
 * `claude_robust` (reference §5.9, §13.1): `retry_config` becomes a Retry on the declared errors
 * with the declared backoff, and a Catch into the fallback chain, each fallback its own state. A
 * fallback's answer is degraded, with its reason and the original error, everywhere it is recorded
 * (defects 14 and 15: pipeline_ex reported fake successes and took unknown actions silently).
 */

const EXAMPLE = resolve('pipelines/examples/robust-review.yaml');
const EXAMPLE_SCRIPT = resolve('pipelines/examples/mocks/robust-review.mock.yaml');

/**
 * Wraps a provider to record every call it is asked to make (the model of each), so a test counts
 * provider calls themselves rather than attempt records.
 */
function countingCalls(): { readonly models: string[]; readonly wrap: (provider: Provider) => Provider } {
  const models: string[] = [];
  return {
    models,
    wrap: (provider) => ({
      name: provider.name,
      complete: (request: CompletionRequest) => {
        models.push(request.model);
        return provider.complete(request);
      },
    }),
  };
}

function robust(retryConfig: string[], options: string[] = []): string[] {
  return [
    'workflow:',
    '  name: robust_flow',
    '  steps:',
    '    - name: review',
    '      type: claude_robust',
    '      retry_config:',
    ...retryConfig.map((line) => `        ${line}`),
    ...options,
    '      prompt: [{type: static, content: Review the change.}]',
  ];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('claude_robust', () => {
  it('shows the retries, then the fallback, and `run --json` marks the step degraded with the reason', async () => {
    // Prepare
    const cwd = await scratchDir();

    // Act
    const result = await runCli(
      ['run', EXAMPLE, '--provider', 'mock', '--mock-script', EXAMPLE_SCRIPT, '--no-retry-wait', '--json'],
      {
        cwd,
      },
    );

    // Assess: a call budget of 3 (max_retries 2): 2 calls of opus, 1 of the fallback model the
    // production preset names, no cached response, then graceful degradation
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('SUCCEEDED');
    expect(report.steps.find((s: { name: string }) => s.name === 'review')).toEqual({
      name: 'review',
      status: 'SUCCEEDED',
      attempts: 5,
      degraded: true,
      degradedReason: 'graceful_degradation',
      originalError: 'Provider.Overloaded',
      callBudget: { total: 3, primary: 2, fallbackModel: 1, repairs: 2 },
      providerCalls: 3,
    });
    expect(report.steps.find((s: { name: string }) => s.name === 'summary')).toMatchObject({
      degraded: false,
    });
    const shown = JSON.parse((await runCli(['show', report.runId, '--json'], { cwd })).stdout);
    const attempts = shown.steps.find((s: { name: string }) => s.name === 'review').attemptRecords;
    expect(
      attempts.map((a: { model: string; status: string; error?: { name: string } }) => [
        a.model,
        a.error?.name ?? a.status,
      ]),
    ).toEqual([
      ['claude-opus-4-8', 'Provider.Overloaded'],
      ['claude-opus-4-8', 'Provider.Overloaded'],
      ['claude-sonnet-4-6', 'Provider.Overloaded'],
      ['none', 'Fallback.Unavailable'],
      ['none', 'SUCCEEDED'],
    ]);
    expect(attempts.at(-1)).toMatchObject({ degraded: true, degradedReason: 'graceful_degradation' });
    const table = (await runCli(['show', report.runId], { cwd })).stdout;
    expect(table).toContain('SUCCEEDED (degraded: graceful_degradation after Provider.Overloaded)');
    expect(table).toContain(
      'review: 3 provider calls made; call budget 3: primary up to 2, fallback model up to 1; ' +
        'schema repairs: up to 2 more, outside it',
    );
  });

  it('makes at most max_retries + 1 provider calls, then answers from the declared fallback action', async () => {
    // Prepare: no preset named, so no fallback model (the default preset's sonnet is not implied)
    const calls = countingCalls();

    // Act
    const result = await runLlmLines(
      stack,
      robust(['max_retries: 2', 'fallback_action: emergency_response']),
      { script: { review: [{ $error: 'server_error' }] }, wrap: calls.wrap },
    );

    // Assess: exactly 3 calls, all on opus, then the emergency answer, degraded
    expect(calls.models).toEqual(['claude-opus-4-8', 'claude-opus-4-8', 'claude-opus-4-8']);
    expect(result.entered).toEqual(['_Initialize', 'review', 'review.EmergencyResponse']);
    expect(result.json.steps[0]).toEqual({
      name: 'review',
      status: 'SUCCEEDED',
      attempts: 4,
      degraded: true,
      degradedReason: 'emergency_response',
      originalError: 'Provider.ServerError',
      callBudget: { total: 3, primary: 3, repairs: 0 },
      providerCalls: 3,
    });
    expect(result.json.outputs.review).toContain('[emergency response]');
    expect(result.bundle.steps.review).not.toHaveProperty('fallback.model');
  });

  it('takes the fallback model out of the same budget: opus fails twice, the fallback model gets the last call', async () => {
    // Prepare
    const calls = countingCalls();

    // Act
    const result = await runLlmLines(
      stack,
      robust(
        ['max_retries: 2', 'fallback_action: emergency_response'],
        ['      claude_options: {fallback_model: sonnet}'],
      ),
      {
        script: { review: [{ $error: 'server_error' }, { $error: 'server_error' }, 'A fallback review.'] },
        wrap: calls.wrap,
      },
    );

    // Assess
    expect(calls.models).toEqual(['claude-opus-4-8', 'claude-opus-4-8', 'claude-sonnet-4-6']);
    expect(result.entered).toEqual(['_Initialize', 'review', 'review.FallbackModel']);
    expect(result.json.steps[0]).toMatchObject({
      attempts: 3,
      degraded: true,
      degradedReason: 'fallback_model',
      originalError: 'Provider.ServerError',
      providerCalls: 3,
    });
    expect(result.json.outputs.review).toBe('A fallback review.');
  });

  it.each([
    ['only server errors', [{ $error: 'server_error' }], ['opus', 'opus', 'sonnet']],
    // A permanent error is not retried: the fallback model still gets its own share only, so the
    // budget is a bound, not a quota (the state machine cannot see how many calls reached Catch)
    ['a permanent error first', [{ $error: 'auth' }, { $error: 'server_error' }], ['opus', 'sonnet']],
  ])(
    'with a fallback model and %s, calls a provider no more than the budget allows',
    async (_, answers, expected) => {
      // Prepare
      const calls = countingCalls();

      // Act
      const result = await runLlmLines(
        stack,
        robust(['max_retries: 2', 'fallback_action: emergency_response'], ['      preset: production']),
        { script: { review: answers }, wrap: calls.wrap },
      );

      // Assess
      expect(calls.models).toEqual(
        expected.map((model) => (model === 'opus' ? 'claude-opus-4-8' : 'claude-sonnet-4-6')),
      );
      expect(calls.models.length).toBeLessThanOrEqual(3);
      expect(result.entered).toEqual([
        '_Initialize',
        'review',
        'review.FallbackModel',
        'review.EmergencyResponse',
      ]);
      expect(result.json.steps[0]).toMatchObject({
        degradedReason: 'emergency_response',
        callBudget: { total: 3, primary: 2, fallbackModel: 1 },
        providerCalls: expected.length,
      });
    },
  );

  it('counts simplified_prompt in the budget, and no fallback that calls no model', async () => {
    // Prepare
    const calls = countingCalls();

    // Act
    const result = await runLlmLines(
      stack,
      robust([
        'max_retries: 1',
        'fallback_action: [simplified_prompt, use_cached_response, emergency_response]',
      ]),
      { tenantId: 'budget-simplified', script: { review: [{ $error: 'server_error' }] }, wrap: calls.wrap },
    );

    // Assess: 1 call of its own, 1 simplified prompt, then two answers without a model
    expect(calls.models).toHaveLength(2);
    expect(result.entered).toEqual([
      '_Initialize',
      'review',
      'review.SimplifiedPrompt',
      'review.CachedResponse',
      'review.EmergencyResponse',
    ]);
    expect(result.json.steps[0]).toMatchObject({
      attempts: 4,
      degradedReason: 'emergency_response',
      callBudget: { total: 2, primary: 1, simplifiedPrompt: 1 },
      providerCalls: 2,
    });
  });

  it('sends an invalid answer back once per schema repair, outside the budget, and never retries a repair', async () => {
    // Prepare
    const calls = countingCalls();
    const lines = robust(
      ['max_retries: 1', 'fallback_action: graceful_degradation'],
      ['      output_schema: {type: object, required: [verdict]}', '      output_schema_repairs: 1'],
    );

    // Act: an answer that is not JSON, then a repair that fails on a transient error
    const result = await runLlmLines(stack, lines, {
      script: { review: ['not json', { $error: 'server_error' }] },
      wrap: calls.wrap,
    });

    // Assess: 1 call of the budget 2, 1 repair (not retried), then the fallback action
    expect(calls.models).toHaveLength(2);
    expect(result.entered).toEqual([
      '_Initialize',
      'review',
      'review.RepairStart',
      'review.Repair',
      'review.GracefulDegradation',
    ]);
    expect(result.json.steps[0]).toMatchObject({
      degradedReason: 'graceful_degradation',
      callBudget: { total: 2, primary: 2, repairs: 1 },
      providerCalls: 2,
    });
  });

  it('states the budget in the compiled definition and the spec bundle', async () => {
    // Act
    const { asl, bundle } = await runLlmLines(
      stack,
      robust(
        ['max_retries: 3', 'fallback_action: [use_cached_response, graceful_degradation]'],
        ['      preset: production'],
      ),
    );

    // Assess
    const states = allStates(asl);
    expect(states.review?.Comment).toMatch(
      /^call budget 4: primary up to 3, fallback model claude-sonnet-4-6 up to 1;/,
    );
    expect((states.review?.Retry as unknown[] | undefined)?.[1]).toMatchObject({ MaxAttempts: 2 });
    expect(states['review.FallbackModel']?.Comment).toBe(
      'fallback model claude-sonnet-4-6: up to 1 call(s) of the call budget 4',
    );
    expect(states['review.FallbackModel']?.Retry).toHaveLength(1);
    expect(states['review.CachedResponse']?.Comment).toBe(
      'use_cached_response: no model call, outside the call budget 4',
    );
    expect(bundle.steps.review).toMatchObject({
      callBudget: { total: 4, primary: 3, fallbackModel: 1, repairs: 0 },
    });
  });

  it('rejects a budget too small for the links that call a model', async () => {
    // Prepare
    const loaded = await load(
      robust(['max_retries: 0', 'fallback_action: simplified_prompt'], ['      preset: production']),
    );
    if (!loaded.pipeline) throw new Error('the fixture did not load');

    // Act
    const { issues } = compilePipeline(loaded.pipeline);

    // Assess
    expect(issues).toMatchObject([
      {
        code: 'INVALID_VALUE',
        severity: 'error',
        path: ['workflow', 'steps', 0, 'retry_config', 'max_retries'],
        hint: 'set max_retries to at least 2, or drop the links that call a model',
      },
    ]);
    expect(issues[0]?.message).toContain('call budget of 1');
  });

  it('compiles retry_config to a Retry per declared error class with the declared backoff', async () => {
    // Act
    const { asl } = await runLlmLines(
      stack,
      robust([
        'max_retries: 3',
        'backoff_strategy: linear',
        'base_delay_ms: 1500',
        'retry_conditions: [rate_limit, timeout, Provider.ServerError]',
        'fallback_action: emergency_response',
      ]),
    );

    // Assess: linear has no ASL form; its closest encoding keeps the first and last waits (2 s, 6 s)
    const review = allStates(asl).review;
    expect((review?.Retry as unknown[] | undefined)?.[1]).toEqual({
      ErrorEquals: ['Provider.RateLimited', 'Provider.Timeout', 'States.Timeout', 'Provider.ServerError'],
      IntervalSeconds: 2,
      MaxAttempts: 3,
      BackoffRate: 1.73,
      MaxDelaySeconds: 6,
    });
    // The default preset names no fallback model for it: the Catch goes to the declared action
    expect(review?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.steps.review', Next: 'review.EmergencyResponse' },
    ]);
  });

  it.each([
    ['exponential', { BackoffRate: 2 }],
    ['fixed', { BackoffRate: 1 }],
  ])('encodes %s backoff exactly', async (strategy, expected) => {
    const { asl } = await runLlmLines(stack, robust(['max_retries: 2', `backoff_strategy: ${strategy}`]));

    expect((allStates(asl).review?.Retry as unknown[] | undefined)?.[1]).toMatchObject({
      ...expected,
      MaxAttempts: 2,
      IntervalSeconds: 1,
    });
  });

  it('retries a declared error, then answers from the fallback model, degraded', async () => {
    // Act: a budget of 3, 2 for opus and 1 for the production preset's fallback model
    const result = await runLlmLines(
      stack,
      robust(['max_retries: 2', 'retry_conditions: [rate_limit]'], ['      preset: production']),
      { script: { review: [{ $error: 'rate_limit' }, { $error: 'rate_limit' }, 'A fallback review.'] } },
    );

    // Assess
    expect(result.json.steps[0]).toMatchObject({
      name: 'review',
      attempts: 3,
      degraded: true,
      degradedReason: 'fallback_model',
      originalError: 'Provider.RateLimited',
    });
    expect(result.entered).toEqual(['_Initialize', 'review', 'review.FallbackModel']);
    expect(result.steps?.review).toMatchObject({
      degraded: true,
      degradedReason: 'fallback_model',
      model: 'claude-sonnet-4-6',
    });
    const artifact = await artifactOf(result, 'review');
    expect(artifact.degraded).toEqual({ reason: 'fallback_model', originalError: 'Provider.RateLimited' });
    expect(artifact.response.text).toBe('A fallback review.');
  });

  it('sends a permanent error straight to the fallback chain, without retrying it', async () => {
    // Act: the development preset names no fallback model, so the chain is the fallback actions
    const result = await runLlmLines(
      stack,
      robust(['fallback_action: [simplified_prompt, emergency_response]'], ['      preset: development']),
      { script: { review: [{ $error: 'auth' }] } },
    );

    // Assess
    expect(result.entered).toEqual([
      '_Initialize',
      'review',
      'review.SimplifiedPrompt',
      'review.EmergencyResponse',
    ]);
    expect(result.json.steps[0]).toMatchObject({
      attempts: 3,
      degradedReason: 'emergency_response',
      originalError: 'Provider.AuthFailed',
    });
    expect(result.json.outputs.review).toContain('[emergency response]');
  });

  it('asks a simplified prompt, and marks its answer degraded', async () => {
    const result = await runLlmLines(
      stack,
      robust(['fallback_action: simplified_prompt'], ['      preset: chat']),
      {
        script: { review: [{ $error: 'invalid_request' }, 'Brief.'] },
      },
    );

    expect(result.json.steps[0]).toMatchObject({ degraded: true, degradedReason: 'simplified_prompt' });
    const artifact = await artifactOf(result, 'review');
    expect(artifact.request.prompt).toBe(
      'Provide a brief, simple response to the following request.\n\nReview the change.',
    );
  });

  it("reuses the step's last clean answer from an earlier run, else goes down the chain", async () => {
    // Prepare
    const lines = robust(
      ['fallback_action: [use_cached_response, graceful_degradation]'],
      ['      preset: chat'],
    );
    const first = await runLlmLines(stack, lines, {
      tenantId: 'cache',
      script: { review: [{ $error: 'auth' }] },
    });
    const clean = await runLlmLines(stack, lines, {
      tenantId: 'cache',
      script: { review: ['The clean review.'] },
    });

    // Act
    const cached = await runLlmLines(stack, lines, {
      tenantId: 'cache',
      script: { review: [{ $error: 'auth' }] },
    });

    // Assess
    expect(first.json.steps[0]).toMatchObject({ degradedReason: 'graceful_degradation' });
    expect(clean.json.steps[0]).toMatchObject({ degraded: false });
    expect(cached.json.steps[0]).toMatchObject({ degraded: true, degradedReason: 'use_cached_response' });
    expect(cached.json.outputs.review).toBe('The clean review.');
    const artifact = await artifactOf(cached, 'review');
    expect(artifact.degraded?.cachedFrom).toContain(`/runs/${clean.run.runId}/steps/review/`);
  });

  it('fails the step when the last link of the chain fails', async () => {
    const result = await runLlmLines(
      stack,
      robust(['fallback_action: use_cached_response'], ['      preset: chat']),
      {
        tenantId: 'no-cache',
        script: { review: [{ $error: 'auth' }] },
      },
    );

    expect(result.run.status).toBe('FAILED');
    expect(result.run.error).toMatchObject({ name: 'Fallback.Unavailable', stepId: 'review' });
  });

  it.each([
    [
      'an unknown fallback_action',
      ['fallback_action: cached_response'],
      'INVALID_VALUE@7:26',
      'use_cached_response',
    ],
    [
      'an unknown retry condition',
      ['retry_conditions: [timeout, disk_full]'],
      'INVALID_VALUE@7:37',
      'rate_limit',
    ],
    ['an unknown backoff', ['backoff_strategy: random'], 'INVALID_VALUE@7:27', 'exponential, linear, fixed'],
  ])('rejects %s, listing the valid values', async (_, config, expected, valid) => {
    // Act
    const result = await load(robust(config));

    // Assess
    expect(located(result)).toEqual([expected]);
    expect(result.issues[0]?.hint).toContain(valid);
  });
});

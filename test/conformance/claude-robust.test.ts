import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
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
const EXAMPLE_SCRIPT = resolve('pipelines/examples/robust-review.mock.yaml');

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

    // Assess: 3 attempts of opus (max_retries 2), 6 of the fallback model (the standard policy
    // retries overload 5 times), no cached response, then graceful degradation
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('SUCCEEDED');
    expect(report.steps.find((s: { name: string }) => s.name === 'review')).toEqual({
      name: 'review',
      status: 'SUCCEEDED',
      attempts: 11,
      degraded: true,
      degradedReason: 'graceful_degradation',
      originalError: 'Provider.Overloaded',
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
      ['claude-opus-4-8', 'Provider.Overloaded'],
      ...Array.from({ length: 6 }, () => ['claude-sonnet-4-6', 'Provider.Overloaded']),
      ['none', 'Fallback.Unavailable'],
      ['none', 'SUCCEEDED'],
    ]);
    expect(attempts.at(-1)).toMatchObject({ degraded: true, degradedReason: 'graceful_degradation' });
    const table = (await runCli(['show', report.runId], { cwd })).stdout;
    expect(table).toContain('SUCCEEDED (degraded: graceful_degradation after Provider.Overloaded)');
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
    expect(review?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.steps.review', Next: 'review.FallbackModel' },
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
    // Act
    const result = await runLlmLines(stack, robust(['max_retries: 1', 'retry_conditions: [rate_limit]']), {
      script: { review: [{ $error: 'rate_limit' }, { $error: 'rate_limit' }, 'A fallback review.'] },
    });

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

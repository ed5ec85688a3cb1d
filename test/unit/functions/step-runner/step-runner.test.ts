import { describe, expect, it } from 'vitest';
import { startRun } from '../../../../functions/runs/run-lifecycle.js';
import { cachedBundleLoader } from '../../../../functions/shared/bundle-loader.js';
import { ProviderError } from '../../../../functions/shared/errors.js';
import type { StepRunnerDeps } from '../../../../functions/step-runner/deps.js';
import { isStepRef } from '../../../../functions/step-runner/step-event.js';
import { runStep } from '../../../../functions/step-runner/step-runner.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';
import type { SpecBundle } from '../../../../pipelines/contract/spec-bundle.js';
import type { StepRef, StepRunnerEvent } from '../../../../pipelines/contract/step-event.js';
import { compilePipeline } from '../../../../statemachines/compile.js';
import { QueueProvider } from '../../../support/queue-provider.js';
import { pipelineOf } from '../../statemachines/pipeline-fixture.js';

const PIPELINE = pipelineOf({
  name: 'plan_and_apply',
  inputs: { repo: { type: 'string' } },
  global_vars: { style: 'terse' },
  steps: [
    {
      name: 'plan',
      type: 'claude',
      claude_options: { system_prompt: 'Style: {{global_vars.style}}' },
      prompt: [{ type: 'static', content: 'Plan a refactor of {{inputs.repo}}.' }],
    },
    {
      name: 'apply',
      type: 'claude',
      prompt: [
        { type: 'static', content: 'Risk: {{steps.plan.risk}}' },
        { type: 'previous_response', step: 'plan', extract: 'steps' },
      ],
    },
    {
      name: 'keep',
      type: 'set_variable',
      variables: { risk: '{{steps.plan.risk}}', note: 'risk is {{steps.plan.risk}}' },
    },
  ],
});

async function setUp(answers: (string | Error)[]) {
  const artifacts = new MemoryArtifactStore('bucket');
  const runs = new MemoryRunStore();
  const provider = new QueueProvider(answers, {
    inputTokens: 1_000_000,
    outputTokens: 0,
    cachedInputTokens: 0,
  });
  const deps: StepRunnerDeps = {
    artifacts,
    runs,
    providerFor: () => provider,
    loadBundle: cachedBundleLoader(artifacts),
    now: () => new Date('2026-11-26T10:00:00Z'),
  };
  const bundle = compilePipeline(PIPELINE).bundle as SpecBundle;
  const input = await startRun({ tenantId: 'acme', bundle, inputs: { repo: 'billing' } }, deps);
  const event = (stepId: string, steps: Record<string, StepRef> = {}): StepRunnerEvent => ({
    stepId,
    ...input,
    global_vars: { style: 'terse' },
    steps,
  });
  return { deps, provider, runs, artifacts, event, run: input.run };
}

describe('runStep', () => {
  it('renders templates, calls the provider, stores the artifact and the attempt, and returns a reference', async () => {
    // Prepare
    const { deps, provider, runs, artifacts, event, run } = await setUp([
      '{"risk": "low", "steps": ["a", "b"]}',
    ]);

    // Act
    const ref = await runStep(event('plan'), deps);

    // Assess
    expect(provider.requests[0]).toMatchObject({
      system: 'Style: terse',
      prompt: 'Plan a refactor of billing.',
      attempt: 1,
    });
    expect(isStepRef(ref)).toBe(true);
    expect(ref).toMatchObject({
      stepId: 'plan',
      attempt: 1,
      degraded: false,
      provider: 'anthropic',
      costUsd: 3,
    });
    const [attempt] = await runs.listAttempts('acme', run.runId);
    expect(attempt).toMatchObject({
      status: 'SUCCEEDED',
      attempt: 1,
      costUsd: 3,
      priced: true,
      promptVersion: expect.stringMatching(/^spec:[0-9a-f]{12}$/),
    });
    const artifact = await artifacts.getJson<{ response: { data: unknown } }>((ref as StepRef).artifact.key);
    expect(artifact.response.data).toEqual({ risk: 'low', steps: ['a', 'b'] });
  });

  it('reads earlier answers: JSON fields in templates and extract paths in previous_response parts', async () => {
    const { deps, provider, event } = await setUp(['{"risk": "low", "steps": ["a", "b"]}', 'applied']);
    const plan = (await runStep(event('plan'), deps)) as StepRef;

    await runStep(event('apply', { plan }), deps);

    expect(provider.requests[1]?.prompt).toBe('Risk: low\n[\n  "a",\n  "b"\n]');
  });

  it('fails with Template.Unresolved, recorded as a failed attempt, when a field is asked of a plain-text answer', async () => {
    const { deps, runs, event, run } = await setUp(['just prose']);
    const plan = (await runStep(event('plan'), deps)) as StepRef;

    await expect(runStep(event('apply', { plan }), deps)).rejects.toMatchObject({
      name: ErrorName.TemplateUnresolved,
      message: expect.stringContaining('{{steps.plan.text}}'),
    });
    const attempts = await runs.listAttempts('acme', run.runId);
    expect(attempts.find((a) => a.stepId === 'apply')).toMatchObject({
      status: 'FAILED',
      error: { name: 'Template.Unresolved' },
    });
  });

  it('records a provider failure and rethrows it with its name intact, then counts the next attempt', async () => {
    const rateLimited = new ProviderError(ErrorName.ProviderRateLimited, 'slow down', {
      provider: 'anthropic',
      status: 429,
    });
    const { deps, runs, event, run } = await setUp([rateLimited, '{"risk": "high"}']);

    await expect(runStep(event('plan'), deps)).rejects.toMatchObject({ name: 'Provider.RateLimited' });
    const retried = await runStep(event('plan'), deps);

    expect(retried).toMatchObject({ attempt: 2 });
    const attempts = await runs.listAttempts('acme', run.runId);
    expect(attempts.map((a) => [a.attempt, a.status, a.error?.name])).toEqual([
      [1, 'FAILED', 'Provider.RateLimited'],
      [2, 'SUCCEEDED', undefined],
    ]);
  });

  it('evaluates set_variable values that read step outputs, keeping the type of whole-value templates', async () => {
    const { deps, event } = await setUp(['{"risk": 3}']);
    const plan = (await runStep(event('plan'), deps)) as StepRef;

    const vars = await runStep(event('keep', { plan }), deps);

    expect(vars).toEqual({ style: 'terse', risk: 3, note: 'risk is 3' });
  });

  it('fails with Spec.NotFound for a step the bundle does not hold', async () => {
    const { deps, event } = await setUp([]);

    await expect(runStep(event('nope'), deps)).rejects.toMatchObject({ name: ErrorName.SpecNotFound });
  });
});

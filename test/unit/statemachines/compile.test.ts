import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkAsl } from '../../../statemachines/check.js';
import { compilePipeline, INITIAL_STATE } from '../../../statemachines/compile.js';
import { CHAIN, pipelineOf, statesOf } from './pipeline-fixture.js';

const GOLDEN = fileURLToPath(new URL('../../fixtures/golden/chain.asl.json', import.meta.url));

describe('compilePipeline', () => {
  it('compiles a chain to ASL that asl-validator accepts', () => {
    // Act
    const { asl, bundle, issues } = compilePipeline(CHAIN);

    // Assess
    expect(issues).toEqual([]);
    expect(asl).toBeDefined();
    expect(checkAsl(asl ?? {})).toEqual([]);
    expect(asl?.StartAt).toBe(INITIAL_STATE);
    expect(Object.keys(bundle?.steps ?? {})).toEqual(['outline', 'review']);
  });

  it('is deterministic and matches the golden definition', async () => {
    // Act
    const first = JSON.stringify(compilePipeline(CHAIN).asl, null, 2);
    const second = JSON.stringify(compilePipeline(CHAIN).asl, null, 2);

    // Assess
    expect(second).toBe(first);
    // A file snapshot: `npx vitest run -u` rewrites it after a deliberate change; CI never does.
    await expect(`${first}\n`).toMatchFileSnapshot(GOLDEN);
  });

  it('chains the steps in order and ends on the last', () => {
    const states = statesOf(compilePipeline(CHAIN).asl);

    expect(states[INITIAL_STATE]?.Next).toBe('outline');
    expect(states.outline?.Next).toBe('review');
    expect(states.review?.End).toBe(true);
    expect(states.outline?.ResultPath).toBe('$.steps.outline');
  });

  it('retries transient provider errors and Lambda throttling on every LLM Task', () => {
    const retriers = statesOf(compilePipeline(CHAIN).asl).outline?.Retry as { ErrorEquals: string[] }[];

    const retried = retriers.flatMap((r) => r.ErrorEquals);
    expect(retried).toEqual(
      expect.arrayContaining([
        'Lambda.TooManyRequestsException',
        'Provider.RateLimited',
        'Provider.Overloaded',
      ]),
    );
    expect(retried).not.toContain('Provider.AuthFailed');
  });

  it('puts step specs with defaults applied and content hashes in the bundle', () => {
    const { bundle } = compilePipeline(CHAIN);

    expect(bundle?.steps.outline).toMatchObject({
      kind: 'llm',
      family: 'claude',
      model: 'claude-haiku-4-5',
      system: 'Be brief.',
      maxOutputTokens: 4096,
    });
    expect(bundle?.steps.review).toMatchObject({
      family: 'gemini',
      model: 'gemini-2.5-flash',
      temperature: 0.2,
      maxOutputTokens: 512,
    });
    expect(bundle?.steps.outline?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(bundle?.inputs).toEqual({ topic: { type: 'string', default: 'queues' } });
  });

  it('changes a step hash only when that step changes', () => {
    const edited = pipelineOf({
      ...CHAIN.workflow,
      steps: CHAIN.workflow.steps.map((s) =>
        s.name === 'review' && s.type === 'gemini'
          ? { ...s, prompt: [{ type: 'static' as const, content: 'Shorter.' }] }
          : s,
      ),
    });

    const before = compilePipeline(CHAIN).bundle;
    const after = compilePipeline(edited).bundle;

    expect(after?.steps.outline?.hash).toBe(before?.steps.outline?.hash);
    expect(after?.steps.review?.hash).not.toBe(before?.steps.review?.hash);
    expect(after?.hash).not.toBe(before?.hash);
  });

  it('reads workflow defaults for models and timeouts', () => {
    const pipeline = pipelineOf({
      defaults: { claude_model: 'opus', timeout_seconds: 30 },
      steps: [{ name: 'a', type: 'claude', prompt: [{ type: 'static', content: 'x' }] }],
    });

    const { asl, bundle } = compilePipeline(pipeline);

    expect(bundle?.steps.a).toMatchObject({ model: 'claude-opus-4-8', timeoutMs: 30_000 });
    expect(statesOf(asl).a?.TimeoutSeconds).toBe(60);
  });

  it('uses bracket paths for step names that dot notation cannot hold', () => {
    const pipeline = pipelineOf({
      steps: [{ name: 'fix-bug', type: 'claude', prompt: [{ type: 'static', content: 'x' }] }],
    });

    const { asl, issues } = compilePipeline(pipeline);

    expect(issues).toEqual([]);
    expect(statesOf(asl)['fix-bug']?.ResultPath).toBe("$.steps['fix-bug']");
  });

  it('reports a global variable key that Step Functions would read as a path', () => {
    const pipeline = pipelineOf({
      global_vars: { config: { 'x.$': 1 } },
      steps: [{ name: 'a', type: 'claude', prompt: [{ type: 'static', content: 'x' }] }],
    });

    const { asl, issues } = compilePipeline(pipeline);

    expect(asl).toBeUndefined();
    expect(issues).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', path: ['workflow', 'global_vars', 'config', 'x.$'] }),
    ]);
  });
});

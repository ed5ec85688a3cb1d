import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromptPackRegistry } from '../../../../functions/prompt-packs/pack-registry.js';
import type { PromptPack } from '../../../../functions/prompt-packs/pack-schema.js';
import { startRun } from '../../../../functions/runs/run-lifecycle.js';
import { artifactKeys } from '../../../../functions/shared/artifact-keys.js';
import { cachedBundleLoader } from '../../../../functions/shared/bundle-loader.js';
import { ProviderError } from '../../../../functions/shared/errors.js';
import type { StepRunnerDeps } from '../../../../functions/step-runner/deps.js';
import { runStep } from '../../../../functions/step-runner/step-runner.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryPromptPackStore } from '../../../../functions/stores/memory-prompt-pack-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';
import type { SpecBundle } from '../../../../pipelines/contract/spec-bundle.js';
import type { StepArtifact, StepRef, StepRunnerEvent } from '../../../../pipelines/contract/step-event.js';
import { compilePipeline } from '../../../../statemachines/compile.js';
import { QueueProvider } from '../../../support/queue-provider.js';
import { pipelineOf } from '../../statemachines/pipeline-fixture.js';

/** The pack DSPy exported for `golden/classify` in the golden vectors. */
const PACK = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../fixtures/dspy-golden/classify.json'), 'utf8'),
).pack as PromptPack;

const PIPELINE = pipelineOf({
  name: 'golden',
  inputs: { ticket: { type: 'string' } },
  steps: [
    {
      name: 'classify',
      type: 'claude',
      prompt: [{ type: 'static', content: 'Classify: {{inputs.ticket}}' }],
      evaluators: [
        { name: 'known', type: 'regex', pattern: '^(billing|bug|account)$' },
        { name: 'judge', type: 'llm_judge', rubric: 'Names one category.' },
      ],
      optimize: {
        inputs: { ticket: '{{inputs.ticket}}' },
        outputs: { category: 'one of: billing, bug, account' },
      },
    },
  ],
});

async function setUp(answers: (string | Error)[], packed: boolean) {
  const artifacts = new MemoryArtifactStore('bucket');
  const runs = new MemoryRunStore();
  const provider = new QueueProvider(answers, undefined, 'default');
  const store = new MemoryPromptPackStore();
  const packKey = artifactKeys.promptPack('golden', 'golden', 'classify', PACK.version);
  if (packed)
    store.set(
      'golden',
      'golden',
      'classify',
      { active: { version: PACK.version, packKey } },
      { [packKey]: PACK },
    );
  const deps: StepRunnerDeps = {
    artifacts,
    runs,
    providerFor: () => provider,
    loadBundle: cachedBundleLoader(artifacts),
    now: () => new Date('2026-11-26T10:00:00Z'),
    promptPacks: new PromptPackRegistry(store),
  };
  const bundle = compilePipeline(PIPELINE).bundle as SpecBundle;
  const input = await startRun(
    { tenantId: 'golden', bundle, inputs: { ticket: 'I was charged twice' } },
    deps,
  );
  const event: StepRunnerEvent = { stepId: 'classify', ...input, global_vars: {}, steps: {} };
  return { deps, provider, runs, artifacts, event, runId: input.run.runId };
}

const JUDGE_SAYS = (score: number) => `[[ ## score ## ]]\n${score}\n\n[[ ## completed ## ]]`;

describe('an LLM step that is scored and opts in', () => {
  it('without an active pack: renders its own prompt, stores its example and scores', async () => {
    // Prepare
    const { deps, provider, runs, artifacts, event, runId } = await setUp(
      ['billing', JUDGE_SAYS(0.9)],
      false,
    );

    // Act
    const ref = (await runStep(event, deps)) as StepRef;

    // Assess
    expect(provider.requests[0]?.prompt).toBe('Classify: I was charged twice');
    expect(ref.promptVersion).toMatch(/^spec:/);
    expect(
      await artifacts.getJson(
        artifactKeys.attemptFile('golden', runId, 'classify', 1, undefined, 'example.json'),
      ),
    ).toStrictEqual({
      inputs: { ticket: 'I was charged twice' },
      outputs: { category: 'billing' },
    });
    const scores = await runs.listScores('golden', runId);
    expect(scores.map((s) => [s.evaluator, s.score, s.promptVersion])).toEqual([
      ['judge', 0.9, ref.promptVersion],
      ['known', 1, ref.promptVersion],
    ]);
    expect(scores[0]?.judge).toMatchObject({ model: expect.any(String), usage: { inputTokens: 10 } });
  });

  it('with an active pack: sends the pack, parses the reply, records the pack version', async () => {
    // Prepare
    const reply = '[[ ## category ## ]]\nbilling\n\n[[ ## completed ## ]]';
    const { deps, provider, runs, artifacts, event, runId } = await setUp([reply, JUDGE_SAYS(1)], true);

    // Act
    const ref = (await runStep(event, deps)) as StepRef;

    // Assess
    const [request] = provider.requests;
    expect(request?.system).toBe(PACK.rendered.system);
    expect(request?.messages).toStrictEqual(PACK.rendered.demoMessages);
    expect(request?.prompt).toMatch(/^\[\[ ## ticket ## \]\]\nI was charged twice\n\nRespond with/);
    expect(request?.outputSchema).toBeUndefined();
    expect(ref.promptVersion).toBe(PACK.version);
    const [attempt] = await runs.listAttempts('golden', runId);
    expect(attempt?.promptVersion).toBe(PACK.version);
    const artifact = await artifacts.getJson<StepArtifact>(ref.artifact.key);
    expect(artifact.response).toMatchObject({
      text: 'billing',
      data: { category: 'billing' },
      rawText: reply,
    });
    expect(
      (await runs.listScores('golden', runId)).map((s) => [s.evaluator, s.score, s.promptVersion]),
    ).toEqual([
      ['judge', 1, PACK.version],
      ['known', 1, PACK.version],
    ]);
  });

  it('fails a packed reply without its fields as a garbled reply, retried, keeping the reply', async () => {
    const { deps, runs, artifacts, event, runId } = await setUp(['billing, I think'], true);

    await expect(runStep(event, deps)).rejects.toMatchObject({ name: ErrorName.ProviderInvalidResponse });
    const [attempt] = await runs.listAttempts('golden', runId);
    expect(attempt).toMatchObject({
      status: 'FAILED',
      promptVersion: PACK.version,
      error: { name: 'Provider.InvalidResponse', message: expect.stringContaining('[[ ## category ## ]]') },
    });
    const artifact = await artifacts.getJson<StepArtifact>(attempt?.artifactKey ?? '');
    expect(artifact.response.text).toBe('billing, I think');
    expect(await runs.listScores('golden', runId)).toEqual([]);
  });

  it('keeps a good answer when the judge cannot be reached, without a judge score', async () => {
    const overloaded = new ProviderError(ErrorName.ProviderOverloaded, 'busy', {
      provider: 'anthropic',
      model: 'm',
    });
    const { deps, runs, event, runId } = await setUp(['bug', overloaded], false);

    await runStep(event, deps);

    expect((await runs.listScores('golden', runId)).map((s) => s.evaluator)).toEqual(['known']);
  });

  it('leaves fallback answers out: they are degraded', async () => {
    const { deps, runs, event, runId } = await setUp(['billing'], true);

    await runStep(
      { ...event, mode: 'simplified_prompt', recovery: { Error: 'Provider.Overloaded', Cause: 'x' } },
      deps,
    );

    expect(await runs.listScores('golden', runId)).toEqual([]);
  });
});

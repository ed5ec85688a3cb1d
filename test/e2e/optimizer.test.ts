import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionRequest, Provider } from '../../functions/ports/provider.js';
import type { PromptPack } from '../../functions/prompt-packs/pack-schema.js';
import { requestedFields } from '../../functions/providers/mock-chat-reply.js';
import { DynamoPromptPackStore } from '../../functions/stores/dynamo-prompt-pack-store.js';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { createLocalDeps, createLocalStores } from '../../local/local-deps.js';
import { ensureOptimizerEnv, runOptimizerJob } from '../../local/optimizer-job.js';
import { runPipelineLocally } from '../../local/run-pipeline.js';
import type { AslObject, SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { StepArtifact } from '../../pipelines/contract/step-event.js';
import { loadPipelineFromString } from '../../pipelines/loader.js';
import { compilePipeline } from '../../statemachines/compile.js';

/**
 * The learning loop on the local stack, with `pipelines/examples/support-triage.yaml`: runs are
 * recorded and scored, the compile job (Python, DSPy, its offline LM) builds a prompt pack from them
 * and promotes it only when it beats the active version on held-out runs, and the next run renders
 * the pack and records its version.
 */

const EXAMPLE = 'pipelines/examples/support-triage.yaml';
const TENANT = 'loop';
const TICKETS = [
  ['My invoice shows a double charge', 'billing'],
  ['The app crashes when I open settings', 'bug'],
  ['I cannot reset my password', 'account'],
  ['Refund the second invoice please', 'billing'],
  ['Crash on startup since the update', 'bug'],
  ['Password email never arrives', 'account'],
] as const;

/** A model that knows the categories: it answers the step's own prompt and the packed one alike. */
const knowingModel: Provider = {
  name: 'mock',
  async complete(request: CompletionRequest) {
    const ticket = TICKETS.find(([text]) => request.prompt.includes(text));
    const category = ticket?.[1] ?? 'account';
    const text = requestedFields(request.prompt)
      ? `[[ ## category ## ]]\n${category}\n\n[[ ## completed ## ]]`
      : category;
    return { text, model: request.model, usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 } };
  },
};

/** The example with `settings` added to its `optimize:` block, compiled. */
async function compileExample(settings: string): Promise<{ asl: AslObject; bundle: SpecBundle }> {
  const source = (await readFile(EXAMPLE, 'utf8')).replace(
    '        min_examples: 4\n',
    `        ${settings}\n`,
  );
  if (!source.includes(settings)) throw new Error(`the example has no "min_examples: 4" line to replace`);
  const { pipeline } = await loadPipelineFromString(source, EXAMPLE);
  const result = pipeline && compilePipeline(pipeline);
  if (!result?.asl || !result.bundle) throw new Error(`the example did not compile with ${settings}`);
  return { asl: result.asl, bundle: result.bundle };
}

describe('the learning loop', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    [stack] = await Promise.all([startLocalStack({ inMemory: true }), ensureOptimizerEnv()]);
  }, 600_000);
  afterAll(async () => {
    await stack?.stop();
  });

  async function runTickets(compiled: { asl: AslObject; bundle: SpecBundle }, count: number) {
    const deps = createLocalDeps(stack, () => knowingModel);
    const runs = [];
    for (let i = 0; i < count; i++) {
      const [ticket] = TICKETS[i % TICKETS.length] ?? TICKETS[0];
      const inputs = { ticket: `${ticket} (#${i})` };
      runs.push(
        await runPipelineLocally({ ...compiled, inputs, tenantId: TENANT, deps, retryDelay: 'none' }),
      );
    }
    return runs;
  }

  function activePointer() {
    const packs = new DynamoPromptPackStore(
      stack.clients.dynamo,
      stack.tables.runs,
      createLocalStores(stack).artifacts,
    );
    return packs.getPointer(TENANT, 'support_triage', 'classify');
  }

  function optimize() {
    return runOptimizerJob(stack, {
      tenantId: TENANT,
      pipeline: 'support_triage',
      provider: 'offline',
      env: process.env,
    });
  }

  it('scores runs, promotes a better pack only, and renders it in the next run', async () => {
    // GIVEN scored runs (half of them held out, so both sides have runs whatever the run ids)
    const first = await runTickets(await compileExample('min_examples: 2\n        held_out: 0.5'), 16);
    const { runs, artifacts } = createLocalStores(stack);
    const scores = await runs.listScores(TENANT, first[0]?.runId ?? '');
    expect(scores).toMatchObject([
      { stepId: 'classify', evaluator: 'known_category', kind: 'regex', score: 1 },
    ]);
    expect(scores[0]?.promptVersion).toMatch(/^spec:/);

    // WHEN the job compiles a pack from them
    const promoted = await optimize();

    // THEN it beats the step's uncompiled program on held-out runs and becomes active
    expect(promoted.exitCode, promoted.log).toBe(0);
    const [outcome] = promoted.outcomes;
    expect(outcome).toMatchObject({ step: 'classify', status: 'promoted', before: 0, trials: 1 });
    expect(outcome?.after).toBeGreaterThan(0.5);
    const pointer = await activePointer();
    expect(pointer?.active?.version).toBe(outcome?.version);

    // WHEN the next run starts
    const strict = await compileExample('min_examples: 2\n        held_out: 0.5\n        margin: 1');
    const [next] = await runTickets(strict, 1);

    // THEN it renders the pack and records its version
    const classify = (await runs.listAttempts(TENANT, next?.runId ?? '')).find(
      (a) => a.stepId === 'classify',
    );
    expect(classify?.promptVersion).toBe(outcome?.version);
    const artifact = await artifacts.getJson<StepArtifact>(classify?.artifactKey ?? '');
    const pack = await artifacts.getJson<PromptPack>(pointer?.active?.packKey ?? '');
    expect(artifact.request.system).toBe(pack.rendered.system);
    expect(artifact.request.messages).toStrictEqual(pack.rendered.demoMessages);
    expect(artifact.request.prompt).toMatch(
      /^\[\[ ## ticket ## \]\]\nMy invoice shows a double charge \(#0\)\n\nRespond/,
    );
    expect(artifact.response).toMatchObject({ text: 'billing', data: { category: 'billing' } });
    const [score] = await runs.listScores(TENANT, next?.runId ?? '');
    expect(score).toMatchObject({ score: 1, promptVersion: outcome?.version });

    // WHEN the job runs again under a margin no candidate can meet over a working pack
    const again = await optimize();

    // THEN the candidate is recorded but the active pack stays
    expect(again.exitCode, again.log).toBe(0);
    expect(['rejected', 'unchanged']).toContain(again.outcomes[0]?.status);
    expect((await activePointer())?.active?.version).toBe(outcome?.version);
  }, 600_000);
});

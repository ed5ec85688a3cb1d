import { describe, expect, it } from 'vitest';
import type { ArtifactRef } from '../../../../functions/ports/artifact-store.js';
import type { Provider } from '../../../../functions/ports/provider.js';
import { startRun } from '../../../../functions/runs/run-lifecycle.js';
import { ProviderError } from '../../../../functions/shared/errors.js';
import { runStep } from '../../../../functions/step-runner/step-runner.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { RunChangeSet } from '../../../../functions/workspaces/run-change-set.js';
import { storeWorkspace } from '../../../../functions/workspaces/store-workspace.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';
import type { SpecBundle } from '../../../../pipelines/contract/spec-bundle.js';
import type { StepArtifact, StepRef, StepRunnerEvent } from '../../../../pipelines/contract/step-event.js';
import { compilePipeline } from '../../../../statemachines/compile.js';
import { pipelineOf } from '../../statemachines/pipeline-fixture.js';
import { memoryDeps, TurnScriptProvider } from './agent-harness.js';

const BUGGY = 'export function median(xs) {\n  return xs[xs.length / 2];\n}\n';
const FIX = { old_string: 'xs[xs.length / 2]', new_string: 'xs[Math.floor(xs.length / 2)]' };

/** An artifact store whose first write of the run's change set fails, as S3 might. */
class FlakyChangeSetStore extends MemoryArtifactStore {
  failures = 1;

  override async putJson(key: string, value: unknown): Promise<ArtifactRef> {
    if (key.endsWith('/changes.json') && this.failures-- > 0) throw new Error('S3 is unavailable');
    return super.putJson(key, value);
  }
}

async function setUp(
  provider: Provider,
  options: {
    readonly agent?: Record<string, unknown>;
    readonly workspace?: boolean;
    readonly artifacts?: MemoryArtifactStore;
  } = {},
) {
  const { deps, runs, artifacts } = memoryDeps(provider, options.artifacts);
  const pipeline = pipelineOf({
    name: 'agents',
    steps: [
      {
        name: 'fix',
        type: 'claude',
        claude_options: { allowed_tools: ['Read', 'Edit'], ...options.agent },
        prompt: [{ type: 'static', content: 'Fix the median in src/median.js.' }],
      },
    ],
  });
  const bundle = compilePipeline(pipeline).bundle as SpecBundle;
  const bytes = new TextEncoder().encode(BUGGY);
  const { workspaceId } = await storeWorkspace(
    artifacts,
    'acme',
    [{ path: 'src/median.js', mode: 0o644, bytes }],
    [],
  );
  const input = await startRun(
    { tenantId: 'acme', bundle, inputs: {}, ...(options.workspace === false ? {} : { workspaceId }) },
    deps,
  );
  const turn = (n: number, fallback?: { Error: string }): Promise<unknown> => {
    const event: StepRunnerEvent = {
      stepId: 'fix',
      ...input,
      global_vars: {},
      steps: {},
      mode: 'agent_turn',
      agent: { turn: n, ...(fallback === undefined ? {} : { fallback }) },
    };
    return runStep(event, deps);
  };
  const attempts = () => runs.listAttempts('acme', input.run.runId);
  const workspaceFile = async (path: string) => {
    const changes = await RunChangeSet.open(artifacts, {
      tenantId: 'acme',
      runId: input.run.runId,
      workspaceId,
    });
    return changes.files().read(path);
  };
  return { turn, attempts, workspaceFile, artifacts };
}

describe('an agent turn', () => {
  it('edits a file through the change set on a tool turn, then ends with the text and changed_files', async () => {
    // Prepare
    const provider = new TurnScriptProvider({
      1: [{ calls: [{ name: 'Edit', input: { file_path: 'src/median.js', ...FIX } }] }],
      2: [{ text: 'Fixed the index.' }],
    });
    const { turn, attempts, workspaceFile, artifacts } = await setUp(provider);

    // Act
    const first = await turn(1);
    const second = (await turn(2)) as StepRef & { done: boolean };

    // Assess: the edit is in the run's change set, and the answer says which files changed
    expect(first).toEqual({ turn: 2, done: false });
    expect(second).toMatchObject({ stepId: 'fix', status: 'SUCCEEDED', attempt: 2, done: true });
    expect(await workspaceFile('src/median.js')).toContain('xs[Math.floor(xs.length / 2)]');
    const artifact = await artifacts.getJson<StepArtifact>(second.artifact.key);
    expect(artifact.response).toMatchObject({
      text: 'Fixed the index.',
      data: { text: 'Fixed the index.', changed_files: ['src/median.js'] },
    });
    // Assess: turn 2 was sent the tools, the task and turn 1's call with its result
    expect(provider.requests[1]).toMatchObject({
      turn: 2,
      prompt: 'Fix the median in src/median.js.',
      tools: [{ name: 'Read' }, { name: 'Edit' }],
      agentTurns: [
        {
          toolCalls: [{ id: 't1_1', name: 'Edit' }],
          toolResults: [{ callId: 't1_1', name: 'Edit', isError: false }],
        },
      ],
    });
    // Assess: one attempt per turn, the tool turn with its calls
    expect(await attempts()).toEqual([
      expect.objectContaining({
        attempt: 1,
        turn: 1,
        status: 'SUCCEEDED',
        toolCalls: [{ name: 'Edit', input: { file_path: 'src/median.js', ...FIX }, isError: false }],
      }),
      expect.objectContaining({ attempt: 2, turn: 2, status: 'SUCCEEDED' }),
    ]);
  });

  it('returns the stored outcome of a turn asked again (a lost reply) without calling the model', async () => {
    // Prepare
    const provider = new TurnScriptProvider({
      1: [{ calls: [{ name: 'Edit', input: { file_path: 'src/median.js', ...FIX } }] }],
      2: [{ text: 'Fixed.' }],
    });
    const { turn, attempts } = await setUp(provider);
    const firstReply = await turn(1);
    const finalReply = await turn(2);

    // Act
    const firstAgain = await turn(1);
    const finalAgain = await turn(2);

    // Assess
    expect(firstAgain).toEqual(firstReply);
    expect(finalAgain).toEqual(finalReply);
    expect(provider.callsByTurn()).toEqual({ 1: 1, 2: 1 });
    expect(await attempts()).toHaveLength(2);
  });

  it('goes on from its stored reply when its tools failed, asking the model once and editing once', async () => {
    // Prepare: the change set's first commit fails
    const provider = new TurnScriptProvider({
      1: [{ calls: [{ name: 'Edit', input: { file_path: 'src/median.js', ...FIX } }] }],
    });
    const { turn, attempts, workspaceFile } = await setUp(provider, {
      artifacts: new FlakyChangeSetStore('bucket'),
    });
    await expect(turn(1)).rejects.toThrow('S3 is unavailable');

    // Act
    const retried = await turn(1);

    // Assess: the model was asked once; the attempt that called it is the one that succeeded
    expect(retried).toEqual({ turn: 2, done: false });
    expect(provider.callsByTurn()).toEqual({ 1: 1 });
    expect(await workspaceFile('src/median.js')).toContain('Math.floor');
    expect(await attempts()).toEqual([expect.objectContaining({ attempt: 1, turn: 1, status: 'SUCCEEDED' })]);
  });

  it.each([
    [
      'Agent.MaxTurns, after recording the paid attempt, when the last turn still calls tools',
      { max_turns: 2 },
      ErrorName.AgentMaxTurns,
      'used all 2 turns',
      { 1: 1, 2: 1 },
      3,
    ],
    [
      'Budget.Exceeded, before calling the model, once the step has spent max_budget_usd',
      { max_budget_usd: 2 },
      ErrorName.BudgetExceeded,
      'spent $3.0000 of its max_budget_usd $2',
      { 1: 1 },
      0,
    ],
  ])('fails turn 2 with %s', async (_, agent, name, message, calls, cost) => {
    // Prepare: every turn reads, and a turn of a million input tokens costs $3 on the default Sonnet
    const read = { calls: [{ name: 'Read', input: { file_path: 'src/median.js' } }] };
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 };
    const provider = new TurnScriptProvider({ 1: [read], 2: [read] }, usage);
    const { turn, attempts } = await setUp(provider, { agent });
    await turn(1);

    // Act
    const second = turn(2);

    // Assess
    await expect(second).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
    expect(provider.callsByTurn()).toEqual(calls);
    expect((await attempts()).at(-1)).toMatchObject({
      turn: 2,
      status: 'FAILED',
      error: { name },
      costUsd: cost,
    });
  });

  it('records a Read outside the workspace as refused with Tool.OutsideWorkspace, and the loop goes on', async () => {
    // Prepare
    const provider = new TurnScriptProvider({
      1: [{ calls: [{ name: 'Read', input: { file_path: '../../../../etc/passwd' } }] }],
      2: [{ text: 'I may only read the workspace.' }],
    });
    const { turn, attempts } = await setUp(provider);

    // Act
    const first = await turn(1);
    await turn(2);

    // Assess
    expect(first).toEqual({ turn: 2, done: false });
    expect((await attempts())[0]?.toolCalls).toEqual([
      {
        name: 'Read',
        input: { file_path: '../../../../etc/passwd' },
        isError: true,
        errorName: ErrorName.ToolOutsideWorkspace,
      },
    ]);
    expect(provider.requests[1]?.agentTurns?.[0]?.toolResults[0]).toMatchObject({
      isError: true,
      content: expect.stringMatching(/^Tool\.OutsideWorkspace: /),
    });
  });

  it('fails with Workspace.Invalid in a run without a workspace, before calling the model', async () => {
    // Prepare
    const provider = new TurnScriptProvider({ 1: [{ text: 'never asked' }] });
    const { turn, attempts } = await setUp(provider, { workspace: false });

    // Act
    const first = turn(1);

    // Assess
    await expect(first).rejects.toMatchObject({
      name: ErrorName.WorkspaceInvalid,
      message: expect.stringContaining('--repo DIR'),
    });
    expect(provider.requests).toEqual([]);
    expect(await attempts()).toEqual([expect.objectContaining({ status: 'FAILED', turn: 1 })]);
  });

  it('lets a transient provider error through for Step Functions to retry, recorded as a failed attempt', async () => {
    // Prepare
    const throttled = new ProviderError(ErrorName.ProviderRateLimited, 'slow down', {
      provider: 'anthropic',
    });
    const provider = new TurnScriptProvider({ 1: [{ error: throttled }, { text: 'Done.' }] });
    const { turn, attempts } = await setUp(provider);
    await expect(turn(1)).rejects.toMatchObject({ name: ErrorName.ProviderRateLimited });

    // Act
    const retried = await turn(1);

    // Assess
    expect(retried).toMatchObject({ done: true, attempt: 2 });
    expect((await attempts()).map((a) => [a.attempt, a.turn, a.status])).toEqual([
      [1, 1, 'FAILED'],
      [2, 1, 'SUCCEEDED'],
    ]);
  });

  it('answers on the fallback model once the loop moved to it, each answer degraded', async () => {
    // Prepare
    const provider = new TurnScriptProvider({
      1: [{ calls: [{ name: 'Read', input: { file_path: 'src/median.js' } }] }],
      2: [{ text: 'Read it.' }],
    });
    const { turn } = await setUp(provider, { agent: { fallback_model: 'haiku' } });
    const overloaded = { Error: ErrorName.ProviderOverloaded };

    // Act
    const next = await turn(1, overloaded);
    const final = await turn(2, overloaded);

    // Assess: the loop keeps its fallback, and the final reference says it is degraded
    expect(next).toEqual({ turn: 2, done: false, fallback: overloaded });
    expect(provider.requests.map((request) => request.model)).toEqual([
      'claude-haiku-4-5',
      'claude-haiku-4-5',
    ]);
    expect(final).toMatchObject({
      done: true,
      degraded: true,
      degradedReason: 'fallback_model',
      originalError: ErrorName.ProviderOverloaded,
    });
  });
});

import type { Iteration } from '../../pipelines/contract/step-event.js';

/**
 * The one place S3 keys are spelled. Every key starts with `tenants/{tenantId}/`, so a tenant's IAM
 * grant is a single prefix; the one exception is the local engine's own bookkeeping under `local/`,
 * which exists only in the local stack's bucket (`elexirion dev`) and holds no tenant's data.
 */
export const artifactKeys = {
  /** The JSON artifact of one step attempt (of one iteration, inside a loop body). */
  attempt(tenantId: string, runId: string, stepId: string, attempt: number, iteration?: Iteration): string {
    return `${stepAttemptsPrefix(tenantId, runId, stepId, iteration)}${attempt}.json`;
  },
  /**
   * A finished run's final `steps` map: the results that live in state rather than in artifacts (a
   * loop's iterations, the branch a switch took, skipped steps), kept so reports can show them.
   */
  runResults(tenantId: string, runId: string): string {
    return `tenants/${tenantId}/runs/${runId}/results.json`;
  },
  /** Every artifact of a run. */
  runPrefix(tenantId: string, runId: string): string {
    return `tenants/${tenantId}/runs/${runId}/`;
  },
  /** Where a tenant drops run requests (and the archives they name); an object created here starts a run. */
  inbox(tenantId: string): string {
    return `tenants/${tenantId}/inbox/`;
  },
  /**
   * Where the turns of a `claude_session` conversation are kept: under the tenant when it continues
   * across runs, under the run when it lasts for one run only.
   */
  sessionTurns(
    tenantId: string,
    session: { readonly name: string; readonly scope: 'tenant' | 'run' },
    runId: string,
  ): string {
    const owner = session.scope === 'tenant' ? `tenants/${tenantId}/` : `tenants/${tenantId}/runs/${runId}/`;
    return `${owner}sessions/${session.name}/turns/`;
  },
  /** The item manifest a batch step's Distributed Map reads, and where its ResultWriter writes. */
  batchManifest(
    tenantId: string,
    runId: string,
    stepId: string,
  ): { readonly key: string; readonly resultPrefix: string } {
    const step = `tenants/${tenantId}/runs/${runId}/steps/${stepId}`;
    return { key: `${step}/manifest.json`, resultPrefix: `${step}/results` };
  },
  /**
   * A path in the tenant's workspace, where `file_ops` steps work: shared by the tenant's runs, so
   * one run can read what an earlier one wrote. `path` is normalized and checked (workspace-paths.ts);
   * `''` is the workspace itself.
   */
  workspace(tenantId: string, path: string): string {
    return `tenants/${tenantId}/workspace/${path}`;
  },
  /** A compiled spec bundle, content-addressed so a run always reads the bundle it started with. */
  specBundle(tenantId: string, pipeline: string, hash: string): string {
    return `tenants/${tenantId}/specs/${pipeline}/${hash}.json`;
  },
  /**
   * A file beside an attempt's artifact: `example.json`, the signature inputs and outputs of an
   * attempt of a step that opts in (the optimizer's example); `log`, the whole output of a `test`
   * step's attempt.
   */
  attemptFile(
    tenantId: string,
    runId: string,
    stepId: string,
    attempt: number,
    iteration: Iteration | undefined,
    kind: 'example.json' | 'log',
  ): string {
    return `${stepAttemptsPrefix(tenantId, runId, stepId, iteration)}${attempt}.${kind}`;
  },
  /** A prompt pack, written by the optimizer; versions are content hashes, so a key never changes. */
  promptPack(tenantId: string, pipeline: string, stepId: string, version: string): string {
    return `tenants/${tenantId}/prompt-packs/${pipeline}/${stepId}/${version}.json`;
  },
  /**
   * The local engine's record of an execution of state machine `machine`: its definition, input,
   * status and where a redrive resumes, so that a later process can describe and redrive it.
   */
  localExecution(machine: string, execution: string): string {
    return `local/executions/${machine}/${execution}.json`;
  },
  /**
   * The checkpoint of a local execution that has not ended (or whose end was not reported yet): the
   * last top-level state it entered, with that state's input. It is deleted once the end is reported.
   */
  localCheckpoint(machine: string, execution: string): string {
    return `${artifactKeys.localCheckpoints()}${machine}/${execution}.json`;
  },
  /** Every checkpoint of {@link artifactKeys.localCheckpoint}: what a restarted local engine reconciles. */
  localCheckpoints(): string {
    return 'local/running/';
  },
  /** A state machine deployed on the local engine, so it still exists after a restart. */
  localStateMachine(machine: string): string {
    return `local/state-machines/${machine}.json`;
  },
  /**
   * What one test-runner task of a `test` step uploaded: its `outcome` and its whole `log`, named by
   * the task's id (which the state keeps), since the task knows neither the attempt nor the
   * iteration; the step runner files them as the attempt's.
   */
  testRun(
    tenantId: string,
    runId: string,
    stepId: string,
    taskId: string,
  ): { readonly outcome: string; readonly log: string } {
    const run = `tenants/${tenantId}/runs/${runId}/steps/${stepId}/test-runs/${taskId}`;
    return { outcome: `${run}.json`, log: `${run}.log` };
  },
  /** What a stored repository snapshot holds (functions/workspaces/manifest.ts); its id is its content's hash. */
  workspaceManifest(tenantId: string, workspaceId: string): string {
    return `tenants/${tenantId}/workspaces/${workspaceId}/manifest.json`;
  },
  /**
   * A file's content, by its SHA-256. Blobs are the tenant's, not one workspace's, so two snapshots
   * of a repository share every file they have in common (a workspace id is never `blobs`).
   */
  workspaceBlob(tenantId: string, sha256: string): string {
    return `tenants/${tenantId}/workspaces/blobs/${sha256}`;
  },
  /** A run's change set over its workspace: new content or deletion per file, and the applied notes. */
  runChangeSet(tenantId: string, runId: string): string {
    return `tenants/${tenantId}/runs/${runId}/changes.json`;
  },
  /**
   * One turn of an agent step's loop, beside the step's attempts: `reply` is the model's answer,
   * stored before its tool calls run (a retried turn reuses it rather than asking again), and
   * `record` the completed turn (the answer, the tool results, the files changed).
   */
  agentTurn(
    tenantId: string,
    runId: string,
    stepId: string,
    turn: number,
    iteration?: Iteration,
  ): { readonly reply: string; readonly record: string } {
    const turnPrefix = `${stepAttemptsPrefix(tenantId, runId, stepId, iteration)}turn-${turn}`;
    return { reply: `${turnPrefix}.reply.json`, record: `${turnPrefix}.json` };
  },
} as const;

/**
 * Where a step's attempts are filed: `steps/STEP/`, and inside a loop body `steps/STEP/iteration-1.0/`,
 * since attempts are numbered from 1 in each iteration.
 */
function stepAttemptsPrefix(tenantId: string, runId: string, stepId: string, iteration?: Iteration): string {
  const folder = iteration === undefined ? '' : `iteration-${iteration.join('.')}/`;
  return `tenants/${tenantId}/runs/${runId}/steps/${stepId}/${folder}`;
}

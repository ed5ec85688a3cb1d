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
  /** The signature inputs and outputs of an attempt of a step that opts in: the optimizer's example. */
  attemptExample(
    tenantId: string,
    runId: string,
    stepId: string,
    attempt: number,
    iteration?: Iteration,
  ): string {
    return `${stepAttemptsPrefix(tenantId, runId, stepId, iteration)}${attempt}.example.json`;
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
} as const;

/**
 * Where a step's attempts are filed: `steps/STEP/`, and inside a loop body `steps/STEP/iteration-1.0/`,
 * since attempts are numbered from 1 in each iteration.
 */
function stepAttemptsPrefix(tenantId: string, runId: string, stepId: string, iteration?: Iteration): string {
  const folder = iteration === undefined ? '' : `iteration-${iteration.join('.')}/`;
  return `tenants/${tenantId}/runs/${runId}/steps/${stepId}/${folder}`;
}

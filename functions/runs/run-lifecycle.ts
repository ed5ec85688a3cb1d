import { randomBytes } from 'node:crypto';
import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { RunIdentity } from '../../pipelines/contract/step-event.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { AttemptRecords } from '../ports/attempts.js';
import type { RunRecords } from '../ports/runs.js';
import type { ScoreRecords } from '../ports/scores.js';
import { artifactKeys } from '../shared/artifact-keys.js';

/** Stores a run needs to start and finish. */
export interface RunLifecycleDeps {
  readonly artifacts: ArtifactStore;
  readonly runs: RunRecords & AttemptRecords & ScoreRecords;
  readonly now: () => Date;
}

/** The execution input of a compiled state machine. */
export interface ExecutionInput {
  readonly run: RunIdentity;
  readonly inputs: Record<string, unknown>;
}

/**
 * A run id that sorts by start time (so a descending query lists recent runs first) and fits a
 * Step Functions execution name (at most 80 characters): `20261126T101530123Z-9f2c4e1a`.
 */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

/**
 * Records a new run before its execution starts: stores the spec bundle unless it is stored already
 * (it is content-addressed) and a RUNNING run record. Inputs must already be resolved. The run id
 * is new unless the caller chose it (an idempotency claim names it before the run exists).
 */
export async function startRun(
  options: {
    readonly tenantId: string;
    readonly bundle: SpecBundle;
    readonly inputs: Record<string, unknown>;
    readonly runId?: string;
    /** ARN of the state machine that will execute the run. */
    readonly stateMachine?: string;
    /** The repository snapshot the run works on (stored already, see functions/workspaces/). */
    readonly workspaceId?: string;
  },
  deps: RunLifecycleDeps,
): Promise<ExecutionInput> {
  const { tenantId, bundle, inputs } = options;
  const now = deps.now();
  const runId = options.runId ?? newRunId(now);
  const bundleKey = artifactKeys.specBundle(tenantId, bundle.pipeline, bundle.hash);
  const workspace = options.workspaceId === undefined ? {} : { workspaceId: options.workspaceId };
  // Content-addressed: once stored it never changes, so a run of a known bundle only checks for it
  // (a HEAD is cheaper than a PUT, and concurrent runs do not rewrite the object under each other).
  if ((await deps.artifacts.size(bundleKey)) === undefined) await deps.artifacts.putJson(bundleKey, bundle);
  await deps.runs.putRun({
    tenantId,
    runId,
    pipeline: bundle.pipeline,
    status: 'RUNNING',
    startedAt: now.toISOString(),
    inputs,
    bundleKey,
    ...(options.stateMachine === undefined ? {} : { stateMachine: options.stateMachine }),
    ...workspace,
  });
  return { run: { tenantId, runId, pipeline: bundle.pipeline, bundleKey, ...workspace }, inputs };
}

/** How an execution ended, as the engine reports it. */
export type ExecutionOutcome =
  | {
      readonly status: 'SUCCEEDED';
      /** The execution's final state, when the engine reports it; its step results are kept for reports. */
      readonly output?: unknown;
    }
  | {
      readonly status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
      readonly error: string;
      readonly cause: string;
    };

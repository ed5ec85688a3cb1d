import { randomBytes } from 'node:crypto';
import type { SpecBundle } from '../../statemachines/types.js';
import { artifactKeys } from './artifact-keys.js';
import type { ArtifactStore } from './ports/artifact-store.js';
import type { AttemptRecord, RunRecord, RunStore, RunUsage } from './ports/run-store.js';
import type { RunIdentity } from './step-event.js';

/** Stores a run needs to start and finish. */
export interface RunLifecycleDeps {
  readonly artifacts: ArtifactStore;
  readonly runs: RunStore;
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
 * Records a new run before its execution starts: stores the spec bundle (content-addressed, so
 * storing it again is harmless) and a RUNNING run record. Inputs must already be resolved.
 */
export async function startRun(
  options: {
    readonly tenantId: string;
    readonly bundle: SpecBundle;
    readonly inputs: Record<string, unknown>;
  },
  deps: RunLifecycleDeps,
): Promise<ExecutionInput> {
  const { tenantId, bundle, inputs } = options;
  const now = deps.now();
  const runId = newRunId(now);
  const bundleKey = artifactKeys.specBundle(tenantId, bundle.pipeline, bundle.hash);
  await deps.artifacts.putJson(bundleKey, bundle);
  await deps.runs.putRun({
    tenantId,
    runId,
    pipeline: bundle.pipeline,
    status: 'RUNNING',
    startedAt: now.toISOString(),
    inputs,
    bundleKey,
  });
  return { run: { tenantId, runId, pipeline: bundle.pipeline, bundleKey }, inputs };
}

/** How an execution ended, as the engine reports it. */
export type ExecutionOutcome =
  | { readonly status: 'SUCCEEDED' }
  | { readonly status: 'FAILED'; readonly error: string; readonly cause: string };

/**
 * Closes a run record: final status, totals over every attempt (failed attempts included, since
 * they were paid for), and for a failure the error and the step it came from.
 */
export async function finishRun(
  run: RunIdentity,
  outcome: ExecutionOutcome,
  deps: RunLifecycleDeps,
): Promise<RunRecord> {
  const existing = await deps.runs.getRun(run.tenantId, run.runId);
  if (!existing) throw new Error(`run ${run.runId} of tenant ${run.tenantId} has no record to finish`);
  const attempts = await deps.runs.listAttempts(run.tenantId, run.runId);
  const finished: RunRecord = {
    ...existing,
    status: outcome.status,
    finishedAt: deps.now().toISOString(),
    usage: totalUsage(attempts),
    ...(outcome.status === 'FAILED' ? { error: failureOf(outcome, attempts) } : {}),
  };
  await deps.runs.putRun(finished);
  return finished;
}

/** Sums tokens and cost over attempts. */
export function totalUsage(attempts: readonly AttemptRecord[]): RunUsage {
  return attempts.reduce(
    (sum, a) => ({
      inputTokens: sum.inputTokens + a.usage.inputTokens,
      outputTokens: sum.outputTokens + a.usage.outputTokens,
      costUsd: sum.costUsd + a.costUsd,
    }),
    { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  );
}

/** The failing step is the last one whose attempts all failed; its last error names the failure. */
function failureOf(
  outcome: Extract<ExecutionOutcome, { status: 'FAILED' }>,
  attempts: readonly AttemptRecord[],
) {
  const succeeded = new Set(attempts.filter((a) => a.status === 'SUCCEEDED').map((a) => a.stepId));
  const lastFailed = attempts
    .filter((a) => a.status === 'FAILED' && !succeeded.has(a.stepId))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .at(-1);
  return lastFailed?.error
    ? { name: lastFailed.error.name, message: lastFailed.error.message, stepId: lastFailed.stepId }
    : { name: outcome.error, message: outcome.cause };
}

import { randomBytes } from 'node:crypto';
import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { RunIdentity } from '../../pipelines/contract/step-event.js';
import { artifactKeys } from './artifact-keys.js';
import { scoreRunOutcome } from './evaluators/score-run-outcome.js';
import { iterationSuffix } from './iteration.js';
import type { ArtifactStore } from './ports/artifact-store.js';
import type { AttemptRecord, RunRecord, RunStore, RunUsage } from './ports/run-store.js';
import { storeRunResults } from './run-results.js';

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
  },
  deps: RunLifecycleDeps,
): Promise<ExecutionInput> {
  const { tenantId, bundle, inputs } = options;
  const now = deps.now();
  const runId = options.runId ?? newRunId(now);
  const bundleKey = artifactKeys.specBundle(tenantId, bundle.pipeline, bundle.hash);
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
  });
  return { run: { tenantId, runId, pipeline: bundle.pipeline, bundleKey }, inputs };
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

/** A run record after {@link finishRun}, and whether this call was the one that closed it. */
export interface FinishedRun {
  readonly record: RunRecord;
  readonly changed: boolean;
}

/**
 * Closes a run record: final status, totals over every attempt (failed attempts included, since
 * they were paid for), and for a failure the error and the step it came from. Only a RUNNING record
 * of the same redrive is closed, with a conditional write, so duplicate or late status events and
 * concurrent closers change it once; the others get `changed: false` and the stored record. The
 * closer also scores the run's `step_succeeded` evaluators.
 *
 * @param redriveCount the redrive the outcome belongs to (0 for the first execution).
 */
export async function finishRun(
  run: Pick<RunIdentity, 'tenantId' | 'runId'>,
  outcome: ExecutionOutcome,
  deps: RunLifecycleDeps,
  redriveCount = 0,
): Promise<FinishedRun> {
  const existing = await deps.runs.getRun(run.tenantId, run.runId);
  if (!existing) throw new Error(`run ${run.runId} of tenant ${run.tenantId} has no record to finish`);
  if (existing.status !== 'RUNNING' || (existing.redriveCount ?? 0) !== redriveCount) {
    return { record: existing, changed: false };
  }
  const attempts = await deps.runs.listAttempts(run.tenantId, run.runId);
  // A redriven run drops the error and end time of the execution it resumed.
  const { error: _error, finishedAt: _finishedAt, ...open } = existing;
  const finished: RunRecord = {
    ...open,
    status: outcome.status,
    finishedAt: deps.now().toISOString(),
    usage: totalUsage(attempts),
    ...(outcome.status === 'SUCCEEDED' ? {} : { error: failureOf(outcome, attempts) }),
  };
  // Evaluators that wait for a later step (`step_succeeded`) can score only now; before the close, so
  // a failure leaves the run open for the retried event rather than closed without its scores.
  await scoreRunOutcome(finished, attempts, deps);
  if (outcome.status === 'SUCCEEDED') await storeRunResults(run, outcome.output, deps.artifacts);
  if (await deps.runs.replaceRun(finished, { status: 'RUNNING', redriveCount })) {
    return { record: finished, changed: true };
  }
  return { record: (await deps.runs.getRun(run.tenantId, run.runId)) ?? finished, changed: false };
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

/**
 * A FAILED run failed in the last step whose attempts all failed (in one iteration, inside a loop
 * body), and that step's last error names the failure; a run that timed out or was stopped is
 * described by the engine's error and cause.
 */
function failureOf(
  outcome: Exclude<ExecutionOutcome, { status: 'SUCCEEDED' }>,
  attempts: readonly AttemptRecord[],
) {
  if (outcome.status !== 'FAILED') return { name: outcome.error, message: outcome.cause };
  const run = (a: AttemptRecord) => `${a.stepId}${iterationSuffix(a.iteration)}`;
  const succeeded = new Set(attempts.filter((a) => a.status === 'SUCCEEDED').map(run));
  const lastFailed = attempts
    .filter((a) => a.status === 'FAILED' && !succeeded.has(run(a)))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .at(-1);
  return lastFailed?.error
    ? { name: lastFailed.error.name, message: lastFailed.error.message, stepId: lastFailed.stepId }
    : { name: outcome.error, message: outcome.cause };
}

import type { RunIdentity } from '../../pipelines/contract/step-event.js';
import { scoreRunOutcome } from '../evaluators/score-run-outcome.js';
import type { AttemptRecord } from '../ports/attempts.js';
import type { EventPublisher, PlatformEvent } from '../ports/event-publisher.js';
import type { RunRecord, RunUsage } from '../ports/runs.js';
import { answeredStep } from '../shared/attempt-outcome.js';
import { iterationSuffix } from '../shared/iteration.js';
import type { ExecutionOutcome, RunLifecycleDeps } from './run-lifecycle.js';
import { storeRunResults } from './run-results.js';

/** What closing a run needs: the run lifecycle's stores and somewhere to send the event. */
export interface RunCloserDeps extends RunLifecycleDeps {
  readonly events: EventPublisher;
}

/**
 * Closes a run with its execution's outcome and announces it: `PipelineRunCompleted` when it
 * succeeded, `PipelineRunFailed` otherwise. Only the call that closes the record publishes, so
 * duplicate status events, and a cancel racing the engine's own report, give one event.
 *
 * @example
 * await closeRun(run, { status: 'ABORTED', error: 'Run.Cancelled', cause: 'cancelled' }, deps, 0);
 */
export async function closeRun(
  run: Pick<RunIdentity, 'tenantId' | 'runId'>,
  outcome: ExecutionOutcome,
  deps: RunCloserDeps,
  redriveCount: number,
): Promise<RunRecord> {
  const { record, changed } = await closeRecord(run, outcome, deps, redriveCount);
  if (changed) await deps.events.publish(runEvent(record));
  return record;
}

/** The event announcing a finished run. */
function runEvent(run: RunRecord): PlatformEvent {
  return {
    detailType: run.status === 'SUCCEEDED' ? 'PipelineRunCompleted' : 'PipelineRunFailed',
    detail: {
      tenantId: run.tenantId,
      runId: run.runId,
      pipeline: run.pipeline,
      status: run.status,
      startedAt: run.startedAt,
      ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt }),
      ...(run.usage === undefined ? {} : { usage: run.usage }),
      ...(run.error === undefined ? {} : { error: run.error }),
    },
  };
}

/** A run record after {@link closeRecord}, and whether this call was the one that closed it. */
interface FinishedRun {
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
async function closeRecord(
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
function totalUsage(attempts: readonly AttemptRecord[]): RunUsage {
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
  const succeeded = new Set(attempts.filter(answeredStep).map(run));
  const lastFailed = attempts
    .filter((a) => a.status === 'FAILED' && !succeeded.has(run(a)))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .at(-1);
  return lastFailed?.error
    ? { name: lastFailed.error.name, message: lastFailed.error.message, stepId: lastFailed.stepId }
    : { name: outcome.error, message: outcome.cause };
}

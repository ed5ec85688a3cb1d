import type { RunIdentity } from '../../pipelines/contract/step-event.js';
import type { EventPublisher, PlatformEvent } from './ports/event-publisher.js';
import type { RunRecord } from './ports/run-store.js';
import { type ExecutionOutcome, finishRun, type RunLifecycleDeps } from './run-lifecycle.js';

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
  const { record, changed } = await finishRun(run, outcome, deps, redriveCount);
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

import {
  type RunStarterDeps,
  type StartedRun,
  type StartRunRequest,
  startPipelineRun,
} from '../runs/start-pipeline-run.js';
import { isRequestError, RequestError } from '../shared/request-error.js';

/** What a trigger needs: everything starting a run does (its `events` also get the rejections). */
export interface TriggerDeps extends RunStarterDeps {
  /** The tenant whose inbox and event bus this trigger serves (a tenant stack's own). */
  readonly tenantId: string;
}

/** What a trigger did with a delivery: started (or found) a run, ignored it, or rejected it. */
export type TriggerOutcome =
  | { readonly outcome: 'started'; readonly run: StartedRun }
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'rejected'; readonly error: RequestError };

/**
 * Starts the run a trigger asked for. A request the caller got wrong is not retried: it is rejected
 * with a `PipelineRequestRejected` event naming its origin and the error, since nobody is waiting
 * for a reply. Other failures (a store is down, the key's first request still starting its run)
 * propagate, so the delivery is retried.
 */
export async function startTriggeredRun(
  origin: string,
  request: StartRunRequest,
  deps: TriggerDeps,
): Promise<TriggerOutcome> {
  try {
    return { outcome: 'started', run: await startPipelineRun(request, deps) };
  } catch (error) {
    // A delivery repeated while the first is starting its run is retried, not rejected: the retry
    // finds the run, or takes over a key whose first request died.
    if (!isRequestError(error) || error.code === 'IDEMPOTENCY_IN_PROGRESS') throw error;
    return rejectTrigger(request.tenantId, origin, error, deps);
  }
}

/** Publishes the rejection of a trigger's request and returns it. */
export async function rejectTrigger(
  tenantId: string,
  origin: string,
  error: RequestError,
  deps: Pick<TriggerDeps, 'events'>,
): Promise<TriggerOutcome> {
  await deps.events.publish({
    detailType: 'PipelineRequestRejected',
    detail: { tenantId, origin, error: { code: error.code, message: error.message, details: error.details } },
  });
  return { outcome: 'rejected', error };
}

/** A RequestError for a request body that does not fit its schema. */
export function invalidRequest(message: string, details: RequestError['details']): RequestError {
  return new RequestError('INVALID_REQUEST', message, details);
}

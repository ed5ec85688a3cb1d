import type { RunRecord } from './runs.js';

/** The `source` of every event Elexirion publishes. */
export const EVENT_SOURCE = 'elexirion';

/** What a run event says about the run. */
export type RunEventDetail = Pick<
  RunRecord,
  'tenantId' | 'runId' | 'pipeline' | 'status' | 'startedAt' | 'finishedAt' | 'usage' | 'error'
>;

/** Why a trigger could not start a run. */
export interface RequestRejectedDetail {
  readonly tenantId: string;
  /** Where the request came from: `s3://bucket/key` or `event:ID`. */
  readonly origin: string;
  readonly error: { readonly code: string; readonly message: string; readonly details: readonly object[] };
}

/**
 * An event Elexirion publishes. `PipelineRunCompleted` for a run that SUCCEEDED,
 * `PipelineRunFailed` for one that FAILED, TIMED_OUT or was ABORTED, and `PipelineRequestRejected`
 * when a trigger (an inbox object, a `PipelineRequested` event) could not start a run.
 */
export type PlatformEvent =
  | { readonly detailType: 'PipelineRunCompleted' | 'PipelineRunFailed'; readonly detail: RunEventDetail }
  | { readonly detailType: 'PipelineRequestRejected'; readonly detail: RequestRejectedDetail };

/**
 * Sends events out: EventBridge in the cloud, memory and a log line on the local stack.
 *
 * @example
 * await publisher.publish({ detailType: 'PipelineRunCompleted', detail: runEventDetail(run) });
 */
export interface EventPublisher {
  publish(event: PlatformEvent): Promise<void>;
}

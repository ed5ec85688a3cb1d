import { z } from 'zod';
import {
  IdempotencyKeySchema,
  issueDetails,
  PipelineNameSchema,
  RunInputSchema,
} from '../runs/request-schemas.js';
import {
  invalidRequest,
  rejectTrigger,
  startTriggeredRun,
  type TriggerDeps,
  type TriggerOutcome,
} from './trigger-run.js';

/** The `detail` of a `PipelineRequested` event. */
export const PipelineRequestedSchema = z.strictObject({
  /** Optional on a tenant's own bus; when given it must be that tenant. */
  tenantId: z.string().optional(),
  pipeline: PipelineNameSchema,
  input: RunInputSchema.default({}),
  idempotencyKey: IdempotencyKeySchema.optional(),
});

/**
 * Starts the run a `PipelineRequested` event asks for, for the tenant whose bus the event came on
 * (an event naming another tenant is rejected). A duplicate delivery of the same event (same `id`)
 * starts nothing new; the idempotency key defaults to `event:{id}`.
 *
 * @example
 * await startFromPipelineRequested({ id: event.id, detail: event.detail }, deps);
 */
export async function startFromPipelineRequested(
  event: { readonly id: string; readonly detail: unknown },
  deps: TriggerDeps,
): Promise<TriggerOutcome> {
  const origin = `event:${event.id}`;
  const parsed = PipelineRequestedSchema.safeParse(event.detail);
  if (!parsed.success) {
    const error = invalidRequest(
      'the PipelineRequested event is invalid',
      issueDetails(parsed.error.issues, 'detail'),
    );
    return rejectTrigger(deps.tenantId, origin, error, deps);
  }
  const { tenantId, pipeline, input, idempotencyKey } = parsed.data;
  if (tenantId !== undefined && tenantId !== deps.tenantId) {
    const error = invalidRequest(`this event bus starts runs of tenant ${deps.tenantId} only`, [
      { field: 'detail.tenantId', message: `leave it out, or write "${deps.tenantId}"` },
    ]);
    return rejectTrigger(deps.tenantId, origin, error, deps);
  }
  return startTriggeredRun(
    origin,
    { tenantId: deps.tenantId, pipeline, input, idempotencyKey: idempotencyKey ?? origin },
    deps,
  );
}

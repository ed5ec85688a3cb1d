import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';
import { startFromPipelineRequested } from './event-trigger.js';
import { type InboxTriggerDeps, startFromInboxObject } from './inbox-trigger.js';
import type { TriggerOutcome } from './trigger-run.js';

/**
 * An S3 "Object Created" event as EventBridge delivers it (the bucket has EventBridge notifications
 * on): Powertools' schema of the envelope and its detail, narrowed to the one event type we route.
 */
const S3Detail = S3EventNotificationEventBridgeSchema.shape.detail;
const ObjectCreatedEventSchema = S3EventNotificationEventBridgeSchema.extend({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  // S3 always sends the size of a created object; the trigger refuses oversized requests unread by it.
  detail: S3Detail.extend({ object: S3Detail.shape.object.extend({ size: z.number().int().nonnegative() }) }),
});

/** A `PipelineRequested` event; its detail is checked by `startFromPipelineRequested`. */
const PipelineRequestedEventSchema = EventBridgeSchema.extend({
  'detail-type': z.literal('PipelineRequested'),
});

/** Every event the trigger Lambda's rules deliver. */
export const TriggerEventSchema = z.union([ObjectCreatedEventSchema, PipelineRequestedEventSchema]);

/** A parsed trigger event. */
export type TriggerEvent = z.infer<typeof TriggerEventSchema>;

/**
 * Hands an event to the trigger it is for. S3 keys arrive URL-encoded in S3 notifications but not in
 * EventBridge ones, which this reads.
 *
 * @example
 * await routeTriggerEvent(TriggerEventSchema.parse(event), deps);
 */
export function routeTriggerEvent(event: TriggerEvent, deps: InboxTriggerDeps): Promise<TriggerOutcome> {
  if (event['detail-type'] === 'PipelineRequested') return startFromPipelineRequested(event, deps);
  const { bucket, object } = event.detail;
  return startFromInboxObject(
    {
      bucket: bucket.name,
      key: object.key,
      size: object.size,
      ...(object.etag === undefined ? {} : { etag: object.etag }),
      ...(object['version-id'] === undefined ? {} : { versionId: object['version-id'] }),
    },
    deps,
  );
}

import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type EventPublisher, type PlatformEvent } from '../ports/event-publisher.js';

/**
 * Publishes events to an EventBridge bus with source `elexirion`. A failed entry is an error (its
 * code and message kept), so the caller's delivery is retried rather than the event lost.
 *
 * @example
 * const events = new EventBridgePublisher(new EventBridgeClient({}), 'elexirion-acme');
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(event: PlatformEvent): Promise<void> {
    const reply = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
          },
        ],
      }),
    );
    const failed = reply.Entries?.find((entry) => entry.ErrorCode !== undefined);
    if ((reply.FailedEntryCount ?? 0) > 0 || failed) {
      throw new Error(
        `EventBridge refused ${event.detailType} on bus ${this.busName}: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
}

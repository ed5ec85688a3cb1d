import type { EventPublisher, PlatformEvent } from '../ports/event-publisher.js';

/**
 * Keeps published events in memory and tells an optional listener, for tests and the local stack
 * (which prints them).
 *
 * @example
 * const events = new MemoryEventPublisher((event) => console.log(event.detailType));
 */
export class MemoryEventPublisher implements EventPublisher {
  readonly events: PlatformEvent[] = [];

  constructor(private readonly listener?: (event: PlatformEvent) => void) {}

  async publish(event: PlatformEvent): Promise<void> {
    this.events.push(structuredClone(event));
    this.listener?.(event);
  }
}

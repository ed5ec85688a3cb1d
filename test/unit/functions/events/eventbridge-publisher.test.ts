import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../../../functions/events/eventbridge-publisher.js';
import type { PlatformEvent } from '../../../../functions/ports/event-publisher.js';
import { type FakeAwsJsonServer, startFakeAwsJsonServer } from '../../../support/fake-aws-json-server.js';

let fake: FakeAwsJsonServer | undefined;
afterEach(() => fake?.stop());

const EVENT: PlatformEvent = {
  detailType: 'PipelineRunCompleted',
  detail: {
    tenantId: 'acme',
    runId: 'r-1',
    pipeline: 'chain',
    status: 'SUCCEEDED',
    startedAt: '2026-11-02T10:00:00Z',
  },
};

function publisherOn(server: FakeAwsJsonServer): EventBridgePublisher {
  const client = new EventBridgeClient({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return new EventBridgePublisher(client, 'elexirion-acme');
}

describe('EventBridgePublisher', () => {
  it('puts the event on the bus with source elexirion', async () => {
    // Prepare
    fake = await startFakeAwsJsonServer({
      PutEvents: () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] }),
    });

    // Act
    await publisherOn(fake).publish(EVENT);

    // Assess
    expect(fake.calls).toEqual([
      {
        operation: 'PutEvents',
        input: {
          Entries: [
            {
              EventBusName: 'elexirion-acme',
              Source: 'elexirion',
              DetailType: 'PipelineRunCompleted',
              Detail: JSON.stringify(EVENT.detail),
            },
          ],
        },
      },
    ]);
  });

  it('fails when EventBridge refuses the entry, naming its error code', async () => {
    // Prepare
    fake = await startFakeAwsJsonServer({
      PutEvents: () => ({
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
      }),
    });

    // Act
    const publishing = publisherOn(fake).publish(EVENT);

    // Assess
    await expect(publishing).rejects.toThrow(/ThrottlingException slow down/);
  });
});

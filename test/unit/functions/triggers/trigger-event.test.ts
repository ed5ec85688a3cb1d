import { describe, expect, it } from 'vitest';
import { TriggerEventSchema } from '../../../../functions/triggers/trigger-event.js';

/** An S3 "Object Created" event as EventBridge delivers it (the shape in the S3 user guide). */
const OBJECT_CREATED = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2026-12-04T10:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:s3:::elexirion-acme-data'],
  detail: {
    version: '0',
    bucket: { name: 'elexirion-acme-data' },
    object: {
      key: 'tenants/acme/inbox/r1.json',
      size: 52,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      sequencer: '00617F08299329D189',
    },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
};

describe('the trigger Lambda’s events', () => {
  it('reads an S3 Object Created event in the envelope EventBridge delivers', () => {
    const parsed = TriggerEventSchema.parse(OBJECT_CREATED);

    expect(parsed['detail-type']).toBe('Object Created');
    expect(parsed.detail).toMatchObject({
      bucket: { name: 'elexirion-acme-data' },
      object: { key: 'tenants/acme/inbox/r1.json', size: 52 },
    });
  });

  it('refuses an Object Created event without the size the trigger checks, naming the field', () => {
    const { size: _size, ...object } = OBJECT_CREATED.detail.object;

    const result = TriggerEventSchema.safeParse({
      ...OBJECT_CREATED,
      detail: { ...OBJECT_CREATED.detail, object },
    });

    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('"size"');
  });

  it('refuses an event that is not a whole EventBridge envelope', () => {
    const { account: _account, ...partial } = { ...OBJECT_CREATED, 'detail-type': 'PipelineRequested' };

    const result = TriggerEventSchema.safeParse(partial);

    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('"account"');
  });
});

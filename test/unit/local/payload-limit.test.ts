import { describe, expect, it } from 'vitest';
import { checkPayloadLimit, PAYLOAD_LIMIT_BYTES } from '../../../local/payload-limit.js';

describe('checkPayloadLimit', () => {
  it('accepts exactly 256 KiB of JSON and refuses one byte more', () => {
    // Prepare: a JSON string is its characters plus two quotes.
    const atLimit = 'x'.repeat(PAYLOAD_LIMIT_BYTES - 2);

    // Act
    const within = checkPayloadLimit(atLimit, 'The output of state "A"');
    const over = checkPayloadLimit(`${atLimit}x`, 'The output of state "A"');

    // Assess
    expect(within).toBeUndefined();
    expect(over).toMatchObject({ name: 'States.DataLimitExceeded', isRetryable: false, isCatchable: false });
    expect(over?.message).toMatch(/^The output of state "A" is 262145 bytes/);
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(checkPayloadLimit('é'.repeat(PAYLOAD_LIMIT_BYTES / 2), 'The input')).toBeDefined();
  });
});

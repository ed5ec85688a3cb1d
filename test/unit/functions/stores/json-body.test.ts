import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeJsonBody } from '../../../../functions/stores/json-body.js';

describe('encodeJsonBody', () => {
  it('measures and digests the UTF-8 bytes of the JSON', () => {
    // Act
    const encoded = encodeJsonBody({ text: 'é' });

    // Assess
    expect(encoded.body.toString('utf8')).toBe('{"text":"é"}');
    expect(encoded.bytes).toBe(13);
    expect(encoded.sha256).toBe(createHash('sha256').update('{"text":"é"}', 'utf8').digest('hex'));
  });

  it('rejects a value JSON cannot represent', () => {
    expect(() => encodeJsonBody(undefined)).toThrow(TypeError);
  });
});

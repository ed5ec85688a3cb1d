import { describe, expect, it } from 'vitest';
import { EXPOSED_FIELDS_MAX_BYTES, exposedFields } from '../../../../functions/step-runner/exposed-fields.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';

describe('exposedFields', () => {
  it('copies exactly the listed top-level fields the answer has', () => {
    const data = { severity: 'high', meta: { score: 3 }, body: 'long text' };
    expect(exposedFields({ exposeFields: ['meta', 'severity', 'absent'] }, data)).toEqual({
      severity: 'high',
      meta: { score: 3 },
    });
  });

  it('exposes nothing when the spec lists nothing, and an empty map for a non-object answer', () => {
    expect(exposedFields({}, { a: 1 })).toBeUndefined();
    expect(exposedFields({ exposeFields: ['a'] }, undefined)).toEqual({});
    expect(exposedFields({ exposeFields: ['a'] }, ['a'])).toEqual({});
  });

  it('fails with Output.FieldsTooLarge rather than truncate what a Choice state reads', () => {
    const big = 'x'.repeat(EXPOSED_FIELDS_MAX_BYTES);
    expect(() => exposedFields({ exposeFields: ['big'] }, { big })).toThrow(
      expect.objectContaining({ name: ErrorName.OutputFieldsTooLarge }),
    );
  });
});

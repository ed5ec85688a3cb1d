import { describe, expect, it } from 'vitest';
import {
  pyFloatRepr,
  pyJsonDumps,
  pySplitlines,
  pyStr,
  pyStrip,
} from '../../../../functions/prompt-packs/python-format.js';

describe('python-format', () => {
  it.each([
    [1.5, '1.5'],
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [2.5e21, '2.5e+21'],
    [1e16, '1e+16'],
    [123456789012345.6, '123456789012345.6'],
    [0.30000000000000004, '0.30000000000000004'],
    [-0.5, '-0.5'],
    [5e-324, '5e-324'],
    [100, '100.0'],
  ])('prints the float %d as Python repr does: %s', (value, expected) => {
    expect(pyFloatRepr(value)).toBe(expected);
  });

  it('prints numbers as the int or float JSON gives Python', () => {
    expect([pyStr(3), pyStr(-7), pyStr(2 ** 53), pyStr(1e21), pyStr(0.5)]).toEqual([
      '3',
      '-7',
      '9007199254740992',
      '1e+21',
      '0.5',
    ]);
  });

  it('prints scalars with str() and structures with json.dumps', () => {
    expect([pyStr(true), pyStr(false), pyStr(null), pyStr('as is ')]).toEqual([
      'True',
      'False',
      'None',
      'as is ',
    ]);
    expect(pyJsonDumps({ k: [1, 2.5, null], ü: 'é\n"', t: true, e: {} })).toBe(
      '{"k": [1, 2.5, null], "ü": "é\\n\\"", "t": true, "e": {}}',
    );
  });

  it("strips Python's whitespace, which JavaScript's trim does not match", () => {
    expect(pyStrip('\x1c\x1f\x85 text \u3000\n')).toBe('text');
    expect(pyStrip('\ufefftext')).toBe('\ufefftext');
  });

  it("splits lines at Python's line boundaries, a final break adding no line", () => {
    expect(pySplitlines('a\r\nb\u2028c\x0bd\x1ce\x1ff\n')).toEqual(['a', 'b', 'c', 'd', 'e\x1ff']);
    expect(pySplitlines('')).toEqual([]);
    expect(pySplitlines('\n')).toEqual(['']);
  });
});

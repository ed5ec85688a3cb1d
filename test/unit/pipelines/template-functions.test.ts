import { describe, expect, it } from 'vitest';
import { applyTemplateFunction } from '../../../pipelines/template-functions.js';
import {
  evaluateCall,
  parseTemplate,
  renderTemplate,
  segmentRefs,
  wholeValueTemplate,
} from '../../../pipelines/templates.js';

describe('template functions', () => {
  it('parses a call with numbers and paths as arguments', () => {
    // Act
    const { segments, errors } = parseTemplate('n = {{ multiply(inputs.count, 2.5) }}');

    // Assess
    expect(errors).toEqual([]);
    expect(segments[1]).toMatchObject({
      kind: 'call',
      call: {
        fn: 'multiply',
        args: [
          { kind: 'ref', ref: { root: 'inputs', path: ['count'] } },
          { kind: 'number', value: 2.5 },
        ],
        start: 4,
      },
    });
    expect(segmentRefs(segments).map((ref) => ref.raw)).toEqual(['inputs.count']);
  });

  it.each([
    ['multiply', [3, 4], 12],
    ['add', [1, 2, 3], 6],
    ['subtract', [10, 4], 6],
    ['divide', [9, 2], 4.5],
    ['max', [3, 9, 1], 9],
    ['min', [3, 9, 1], 1],
    ['round', [2.456, 2], 2.46],
    ['round', [2.5], 3],
    ['floor', [2.7], 2],
    ['ceil', [2.1], 3],
  ] as const)('%s(%j) is %d', (name, args, expected) => {
    expect(applyTemplateFunction(name, args)).toBe(expected);
  });

  it('rejects a non-number argument and division by zero', () => {
    expect(() => applyTemplateFunction('add', [1, '2'])).toThrow(TypeError);
    expect(() => applyTemplateFunction('divide', [1, 0])).toThrow(RangeError);
  });

  it('renders a call inside text and keeps a whole call a number', () => {
    // Prepare
    const resolve = () => 7;

    // Act
    const text = renderTemplate(parseTemplate('total {{add(inputs.a, 1)}}').segments, resolve);
    const whole = wholeValueTemplate(' {{multiply(inputs.a, 3)}} ');

    // Assess
    expect(text).toBe('total 8');
    expect(whole?.kind).toBe('call');
    expect(whole?.kind === 'call' ? evaluateCall(whole.call, resolve) : undefined).toBe(21);
  });
});

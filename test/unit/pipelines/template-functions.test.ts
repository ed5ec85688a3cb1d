import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../../pipelines/conditions/evaluate.js';
import { PIPELINE_FUNCTIONS } from '../../../pipelines/conditions/functions.js';
import { compileExpression } from '../../../pipelines/conditions/source.js';
import {
  applyTemplateFunction,
  TEMPLATE_FUNCTION_NAMES,
  templateFunction,
} from '../../../pipelines/template-functions.js';
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

describe('one function table for templates and conditions', () => {
  const inCondition = (text: string): unknown => {
    const compiled = compileExpression(text, [], { stepNames: new Set() });
    if (compiled.expr === undefined)
      throw new Error(compiled.issues.map((issue) => issue.message).join('; '));
    return evaluateExpression(compiled.expr, () => undefined);
  };

  it('templates call the entries of the table marked for them, with the same arity', () => {
    const shared = [...PIPELINE_FUNCTIONS].filter(([, fn]) => fn.languages.includes('template'));
    expect(shared.map(([name]) => name).sort()).toEqual([...TEMPLATE_FUNCTION_NAMES].sort());
    for (const [name, fn] of shared) {
      expect(templateFunction(name)).toMatchObject({ minArgs: fn.minArgs, maxArgs: fn.maxArgs });
    }
    expect(templateFunction('length')).toBeUndefined();
    expect(templateFunction('constructor')).toBeUndefined();
  });

  it.each([
    ['max', [3, 9, 1]],
    ['max', [4]],
    ['min', [3, 9, 1]],
    ['min', Array.from({ length: 20 }, (_, i) => i + 2)],
    ['round', [2.456, 2]],
    ['round', [-2.5]],
    ['round', [1234.5, -2]],
    ['floor', [2.7]],
    ['ceil', [2.1]],
  ] as const)('%s(%j) gives the same number in a template and in a condition', (name, args) => {
    expect(inCondition(`${name}(${args.join(', ')})`)).toBe(applyTemplateFunction(name, args));
  });

  it('conditions accept the documented round(x, digits) and any number of min/max arguments', () => {
    expect(inCondition('round(2.456, 2)')).toBe(2.46);
    expect(inCondition(`max(${Array.from({ length: 20 }, (_, i) => i).join(', ')})`)).toBe(19);
    expect(inCondition('max(5)')).toBe(5);
    expect(inCondition('max(inputs.missing)')).toBeNull();
  });

  it('keeps the arity errors of both languages', () => {
    expect(() => inCondition('round(1, 2, 3)')).toThrow('round() takes 1 to 2 argument(s), not 3');
    expect(() => inCondition('max()')).toThrow('max() takes at least 1 argument(s), not 0');
    expect(parseTemplate('{{round(inputs.a, 1, 2)}}').errors[0]?.message).toBe(
      'round() takes 1 to 2 arguments, not 3',
    );
    expect(parseTemplate('{{add(inputs.a)}}').errors[0]?.message).toBe(
      'add() takes at least 2 arguments, not 1',
    );
  });
});

describe('template calls parsed by the conditions parser', () => {
  const callOf = (text: string) => {
    const { segments, errors } = parseTemplate(text);
    expect(errors).toEqual([]);
    const [segment] = segments;
    return segment?.kind === 'call' ? segment.call : undefined;
  };
  const errorOf = (text: string) => parseTemplate(text).errors[0];

  it('reads arguments as the conditions grammar does: parentheses, negative numbers, a trailing .length', () => {
    expect(callOf('{{ multiply((inputs.count), -2) }}')?.args).toMatchObject([
      { kind: 'ref', ref: { root: 'inputs', path: ['count'], raw: 'inputs.count' } },
      { kind: 'number', value: -2 },
    ]);
    expect(callOf('{{add(steps.plan.items.length,1)}}')?.args).toMatchObject([
      { kind: 'ref', ref: { root: 'steps', path: ['plan', 'items', 'length'] } },
      { kind: 'number', value: 1 },
    ]);
  });

  it('never splits inside a quoted argument: a string is one argument, and not a number', () => {
    expect(errorOf("{{ add(inputs.a, 'x, y') }}")?.message).toBe(
      `in add(): argument 2 "'x, y'" is not a number or a path`,
    );
    expect(errorOf("{{ subtract(inputs.a, 'x, y') }}")?.message).toBe(
      `in subtract(): argument 2 "'x, y'" is not a number or a path`,
    );
  });

  it('rejects nested calls and expressions as arguments, and reports syntax errors of the call', () => {
    expect(errorOf('{{ add(max(inputs.a, 1), 2) }}')?.message).toContain('argument 1 "max(inputs.a, 1)"');
    expect(errorOf('{{ add(inputs.a * 2, 1) }}')?.message).toContain('argument 1 "inputs.a * 2"');
    expect(errorOf('{{ add(inputs.a,, 1) }}')?.message).toMatch(/^in add\(\): /);
  });
});

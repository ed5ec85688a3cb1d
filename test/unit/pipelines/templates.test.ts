import { describe, expect, it } from 'vitest';
import {
  parseTemplate,
  renderTemplate,
  type TemplateRef,
  wholeValueRef,
} from '../../../pipelines/templates.js';

const refs = (text: string): TemplateRef[] =>
  parseTemplate(text).segments.flatMap((segment) => (segment.kind === 'ref' ? [segment.ref] : []));

describe('parseTemplate', () => {
  it('cuts text into literal segments and references with offsets', () => {
    // Act
    const { segments, errors } = parseTemplate('Plan {{ inputs.repo }} after {{steps.plan.text}}.');

    // Assess
    expect(errors).toEqual([]);
    expect(segments).toEqual([
      { kind: 'text', text: 'Plan ' },
      { kind: 'ref', ref: { root: 'inputs', path: ['repo'], raw: '{{ inputs.repo }}', start: 5, end: 22 } },
      { kind: 'text', text: ' after ' },
      {
        kind: 'ref',
        ref: { root: 'steps', path: ['plan', 'text'], raw: '{{steps.plan.text}}', start: 29, end: 48 },
      },
      { kind: 'text', text: '.' },
    ]);
  });

  it.each([
    ['{{inputs.repo.url}}', 'inputs', ['repo', 'url']],
    ['{{global_vars.count}}', 'global_vars', ['count']],
    ['{{steps.build-1.items.0}}', 'steps', ['build-1', 'items', '0']],
  ])('reads %s', (text, root, path) => {
    expect(refs(text)).toMatchObject([{ root, path }]);
  });

  it('leaves text without templates as one segment, and an empty string as none', () => {
    expect(parseTemplate('a { b } }} c').segments).toEqual([{ kind: 'text', text: 'a { b } }} c' }]);
    expect(parseTemplate('').segments).toEqual([]);
  });

  it.each([
    ['{{foo}}', '{{inputs.foo}}'],
    ['{{state.count}}', '{{global_vars.count}}'],
    ['{{timestamp}}', '{{inputs.timestamp}}'],
    ['{{input.topic}}', '{{inputs.topic}}'],
    ['{{analyze_code.score}}', '{{steps.analyze_code.score}}'],
    ['{{steps.plan}}', '{{steps.plan.text}}'],
    ['{{inputs}}', '{{inputs.NAME}}'],
    ['{{}}', '{{inputs.NAME}}'],
    ['{{ inputs.a * 2 }}', 'earlier step'],
    ['{{ power(inputs.a, 2) }}', 'functions: multiply, add'],
    ['{{ mulitply(inputs.a, 2) }}', "did you mean 'multiply'?"],
    ['{{ round(inputs.a, 2, 3) }}', 'round(x) or round(x, digits)'],
    ['{{ add(inputs.a, state.b) }}', '{{global_vars.b}}'],
    ['{{previous_response:orders}}', '{{steps.orders.text}}'],
    ['{{inputs..x}}', '{{inputs.NAME}}'],
  ])('rejects %s with a hint mentioning %s', (text, hint) => {
    // Act
    const { errors, segments } = parseTemplate(`say ${text}!`);

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ start: 4, end: 4 + text.length });
    expect(errors[0]?.hint).toContain(hint);
    expect(segments).toEqual([{ kind: 'text', text: `say ${text}!` }]);
  });

  it('reports an unclosed template from its "{{" to the end of the text', () => {
    const { errors } = parseTemplate('ok {{inputs.a}} then {{inputs.b');
    expect(errors).toMatchObject([{ start: 21, end: 31 }]);
  });

  it('reports every malformed template and keeps the good ones', () => {
    const { errors, segments } = parseTemplate('{{x}} {{inputs.a}} {{y}}');
    expect(errors.map((error) => error.start)).toEqual([0, 19]);
    expect(segments.filter((segment) => segment.kind === 'ref')).toHaveLength(1);
  });
});

describe('renderTemplate', () => {
  it('renders strings as they are, scalars with String, objects and arrays as indented JSON', () => {
    // Prepare
    const values: Record<string, unknown> = { s: 'text', n: 42, b: false, z: null, o: { a: [1] }, l: ['x'] };
    const { segments } = parseTemplate(
      '{{inputs.s}}|{{inputs.n}}|{{inputs.b}}|{{inputs.z}}|{{inputs.o}}|{{inputs.l}}',
    );

    // Act
    const text = renderTemplate(segments, (ref) => values[ref.path[0] ?? '']);

    // Assess
    expect(text).toBe('text|42|false|null|{\n  "a": [\n    1\n  ]\n}|[\n  "x"\n]');
  });

  it('rejects a resolver that answers undefined instead of throwing', () => {
    expect(() => renderTemplate(parseTemplate('{{inputs.a}}').segments, () => undefined)).toThrow(
      '{{inputs.a}}',
    );
  });
});

describe('wholeValueRef', () => {
  it.each([
    ['{{steps.plan.items}}', ['plan', 'items']],
    ['  {{ global_vars.n }}\n', ['n']],
  ])('finds the one template in %j', (text, path) => {
    expect(wholeValueRef(text)?.path).toEqual(path);
  });

  it.each(['items: {{steps.plan.items}}', '{{inputs.a}}{{inputs.b}}', '{{foo}}', 'plain', ''])(
    'finds none in %j',
    (text) => {
      expect(wholeValueRef(text)).toBeUndefined();
    },
  );
});

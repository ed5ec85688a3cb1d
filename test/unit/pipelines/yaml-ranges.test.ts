import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { type FieldPath, YamlLocator } from '../../../pipelines/yaml-ranges.js';

const SOURCE = [
  'base: &base {model: haiku}',
  'steps:',
  '  - name: a',
  '    empty:',
  '    options: *base',
  '    text: |',
  '      {{x}} and {{x}}',
  '      end {{y',
  '    quoted: "tab\\t{{x}}"',
  '',
].join('\n');

const locate = new YamlLocator(parseDocument(SOURCE), SOURCE);
const text = ([start, end]: readonly [number, number]) => SOURCE.slice(start, end);

describe('YamlLocator', () => {
  it.each<[FieldPath, string]>([
    [['steps', 0, 'name'], 'a'],
    [['steps', 0, 'empty'], 'empty'],
    [['steps', 0, 'options', 'model'], 'haiku'],
    [['steps', 0, 'absent', 'deeper'], 'name: a\n'],
  ])(
    'value(%j) is the text %j (the key for an empty value, the nearest ancestor for a missing path)',
    (path, expected) => {
      expect(text(locate.value(path)).startsWith(expected)).toBe(true);
    },
  );

  it('key() is the range of the map key that ends the path', () => {
    expect(text(locate.key(['steps', 0, 'options']))).toBe('options');
    expect(text(locate.key(['steps', 0]))).toMatch(/^name: a/);
  });

  it('substring() finds the same occurrence of a repeated text inside a block scalar', () => {
    // Prepare
    const value = '{{x}} and {{x}}\nend {{y\n';

    // Act
    const second = locate.substring(
      ['steps', 0, 'text'],
      value.lastIndexOf('{{x}}'),
      value.lastIndexOf('{{x}}') + 5,
    );
    const unclosed = locate.substring(['steps', 0, 'text'], value.indexOf('{{y'), value.length);

    // Assess
    expect(second[0]).toBe(SOURCE.lastIndexOf('{{x}} and') + '{{x}} and '.length);
    expect(text(second)).toBe('{{x}}');
    expect(text(unclosed)).toBe('{{y');
  });

  it('substring() finds text after an escape in a double-quoted scalar', () => {
    const range = locate.substring(['steps', 0, 'quoted'], 4, 9);
    expect(text(range)).toBe('{{x}}');
    expect(range[0]).toBe(SOURCE.indexOf('{{x}}"'));
  });
});

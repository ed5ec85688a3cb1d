import { describe, expect, it } from 'vitest';
import { formatCondition } from '../../../../pipelines/conditions/format.js';
import { parseCondition } from '../../../../pipelines/conditions/parser.js';
import type { Expr } from '../../../../pipelines/contract/condition-ast.js';

/** The tree of `text`, written back as text (every node kind has one spelling). */
function shape(text: string): string {
  const { expr, error } = parseCondition(text);
  if (error) throw new Error(`${error.message} at ${error.start}`);
  return formatCondition(expr as Expr);
}

describe('parseCondition', () => {
  it.each([
    ["a.b == 'x' and c or not d", "a.b == 'x' and c or not d"],
    ['a or b and c', 'a or b and c'],
    ['(a or b) and c', '(a or b) and c'],
    ['not a == 1', 'not a == 1'],
    ['a + b * c - d / 2 % 3 >= -4', 'a + b * c - d / 2 % 3 >= -4'],
    ['(a + b) * c', '(a + b) * c'],
    ['x between 1 and 5 and y', 'x between 1 and 5 and y'],
    ["title contains 'a and b'", "title contains 'a and b'"],
    ["v matches '^v\\d+$'", "v matches '^v\\\\d+$'"],
    ['items.length > 0', 'length(items) > 0'],
    ['items.0.name == "n"', "items.0.name == 'n'"],
    ['fix-bug.severity', 'fix-bug.severity'],
    ['count(xs, "@ > 2") >= min(1, 2)', 'count(xs, "@ > 2") >= min(1, 2)'],
    ['true and false or null == null', 'true and false or null == null'],
    [
      "contains(a, 'x') and between(b, 1, 2) and matches(c, '^x')",
      "a contains 'x' and b between 1 and 2 and c matches '^x'",
    ],
  ])('parses %s', (text, expected) => {
    expect(shape(text)).toBe(expected);
  });

  it('keeps the offsets of every node, per-item conditions included', () => {
    const { expr } = parseCondition('any(steps.x.items, "@.ok == true")');
    expect(expr).toMatchObject({
      kind: 'call',
      start: 0,
      end: 34,
      args: [{ kind: 'path', segments: ['steps', 'x', 'items'], start: 4, end: 17 }, { kind: 'literal' }],
      predicate: {
        kind: 'compare',
        start: 20,
        end: 32,
        left: { kind: 'path', segments: ['@', 'ok'], start: 20, end: 24 },
      },
    });
  });

  it.each([
    ['', 'empty condition', 0],
    ['a =', '"=" is not an operator of conditions', 2],
    ['a && b', '"&&" is not an operator of conditions', 2],
    ['a == ', 'expected a value but found the end of the condition', 2],
    ["a == 'open", 'unclosed string', 5],
    ['a < b < c', 'comparisons do not chain', 6],
    ['a b', 'unexpected "b"', 2],
    ['(a or b', 'expected ")" but found the end of the condition', 6],
    ['a matches b', 'matches takes a regular expression in quotes', 10],
    ["a matches '('", 'invalid regular expression', 10],
    ['x between 1 5', 'between needs "and" between its bounds', 12],
    ['frobnicate(a)', 'unknown function frobnicate()', 0],
    ['now() > 1', 'now() is not available in conditions', 0],
    ['length(a, b)', 'length() takes 1 argument(s), not 2', 0],
    ['any(xs, 3)', 'the per-item condition of any() is written in quotes', 8],
    ['any(xs, "@ >")', 'expected a value but found the end of the condition', 11],
    ['a # b', 'unexpected character "#"', 2],
  ])('reports %j: %s at %d', (text, message, start) => {
    const { error } = parseCondition(text);
    expect(error?.message).toContain(message);
    expect(error?.start).toBe(start);
    expect(error?.hint).toEqual(expect.any(String));
  });

  it('reads escapes in strings and keeps unknown ones for regular expressions', () => {
    const { expr } = parseCondition("a == 'it\\'s\\n' and b matches '\\d'");
    expect(expr).toMatchObject({
      operands: [{ right: { value: "it's\n" } }, { right: { value: '\\d' } }],
    });
  });
});

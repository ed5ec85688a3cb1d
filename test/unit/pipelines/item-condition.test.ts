import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../pipelines/conditions/evaluate.js';
import { compileCondition } from '../../../pipelines/conditions/source.js';
import { evaluateItemCondition, parseItemCondition } from '../../../pipelines/item-condition.js';

function holds(text: string, item: unknown, fieldValue?: unknown): boolean {
  const parsed = parseItemCondition(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return evaluateItemCondition(parsed.condition, item, fieldValue);
}

describe('item conditions', () => {
  it('parses comparisons, with >= and <= never read as > and <', () => {
    expect(parseItemCondition("status == 'done'")).toEqual({
      condition: { kind: 'compare', path: ['status'], op: '==', value: 'done' },
    });
    expect(parseItemCondition('total>=100')).toEqual({
      condition: { kind: 'compare', path: ['total'], op: '>=', value: 100 },
    });
    expect(parseItemCondition('a.b <= -1.5')).toEqual({
      condition: { kind: 'compare', path: ['a', 'b'], op: '<=', value: -1.5 },
    });
    expect(parseItemCondition('value')).toEqual({ condition: { kind: 'truthy', path: [] } });
  });

  it.each([
    ["status == 'done'", { status: 'done' }, true],
    ['total > 100', { total: 100 }, false],
    ['total >= 100', { total: 100 }, true],
    ['total > 100', { total: '200' }, false],
    ["name < 'b'", { name: 'a' }, true],
    ['active == true', { active: true }, true],
    ['gone == null', { gone: null }, true],
    ["tags contains 'x'", { tags: ['y', 'x'] }, true],
    ["title contains 'ell'", { title: 'hello' }, true],
    ['items', { items: [] }, false],
    ['meta.ok', { meta: { ok: 1 } }, true],
  ])('%s on %j is %s', (text, item, expected) => {
    expect(holds(text, item)).toBe(expected);
  });

  it('reads `value` as the filter field', () => {
    expect(holds("value == 'high'", { level: 'high' }, 'high')).toBe(true);
  });

  it.each(['x ==', 'x == done', '== 1', 'a b c', "x == 'a' and y"])('rejects %j', (text) => {
    expect(parseItemCondition(text)).toHaveProperty('error');
  });
});

describe('item conditions are the conditions language in item scope', () => {
  /** The same text as a per-item condition of the conditions language: `count(list, "TEXT")`. */
  const asConditionPredicate = (text: string, item: unknown): boolean => {
    const compiled = compileCondition(`count(inputs.items, ${JSON.stringify(text)}) == 1`, [], {
      stepNames: new Set(),
    });
    if (compiled.expr === undefined) throw new Error(JSON.stringify(compiled.issues));
    return evaluateCondition(compiled.expr, () => [item]);
  };

  it.each([
    ["status == 'done'", { status: 'done' }],
    ["status != 'done'", {}],
    ['gone == null', {}],
    ['gone != null', {}],
    ['gone == null', { gone: null }],
    ['total >= 100', { total: 100 }],
    ['total > 100', { total: '200' }],
    ["name < 'b'", { name: 'a' }],
    ["tags contains 'x'", { tags: ['y', 'x'] }],
    ["title contains 'ell'", { title: 'hello' }],
    ['a.b <= -1.5', { a: { b: -2 } }],
    ['meta.ok', { meta: { ok: 1 } }],
    ['items', { items: [] }],
    ['tags.0 == "x"', { tags: ['x'] }],
    ['tags.length >= 2', { tags: ['x', 'y'] }],
    ['constructor', {}],
  ])('%s on %j decides as the conditions language does', (text, item) => {
    expect(holds(text, item)).toBe(asConditionPredicate(text, item));
  });

  it('reads a missing field as null, as conditions do', () => {
    expect(holds('gone == null', {})).toBe(true);
    expect(holds('gone != null', {})).toBe(false);
    expect(holds("gone != 'x'", {})).toBe(true);
  });

  it('reads strings as the conditions tokenizer does, and a list length as the list`s', () => {
    expect(holds('title == "say \\"hi\\""', { title: 'say "hi"' })).toBe(true);
    expect(holds('tags.length >= 2', { tags: ['x', 'y'] })).toBe(true);
    expect(parseItemCondition('total > - 1')).toEqual({
      condition: { kind: 'compare', path: ['total'], op: '>', value: -1 },
    });
  });

  it('keeps every first name a field of the item (no roots), and refuses @', () => {
    expect(holds('inputs.n == 1', { inputs: { n: 1 } })).toBe(true);
    expect(holds('item == 2', { item: 2 })).toBe(true);
    expect(parseItemCondition('@.x == 1')).toHaveProperty('error');
    expect(parseItemCondition("x matches 'a'")).toHaveProperty('error');
  });
});

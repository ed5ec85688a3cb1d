import { describe, expect, it } from 'vitest';
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

import { describe, expect, it } from 'vitest';
import { readPath, valueAtPath } from '../../../pipelines/data-path.js';

const DATA = { a: { b: [10, { c: 'deep' }] }, text: 'hello', none: null, zero: 0 };

describe('readPath', () => {
  it.each([
    [['a', 'b', '0'], 10],
    [['a', 'b', '1', 'c'], 'deep'],
    [['a', 'b', 1, 'c'], 'deep'],
    [['a', 'b', 'length'], 2],
    [['none'], null],
    [['zero'], 0],
    [[], DATA],
  ])('finds %j', (path, value) => {
    expect(readPath(DATA, path)).toEqual({ found: true, value });
  });

  it.each([
    [['missing']],
    [['a', 'b', '2']],
    [['a', 'b', '-1']],
    [['a', 'b', '01']],
    [['text', 'length']],
    [['text', '0']],
    [['none', 'x']],
    [['zero', 'toFixed']],
    [['constructor']],
    [['__proto__']],
    [['toString']],
    [['hasOwnProperty']],
    [['a', 'constructor', 'name']],
    [['a', 'b', 'map']],
    [['a', 'b', '__proto__']],
  ])('finds nothing at %j: own fields only', (path) => {
    expect(readPath(DATA, path)).toEqual({ found: false });
    expect(valueAtPath(DATA, path)).toBeUndefined();
  });

  it('reads a field named like an inherited one when the data has it', () => {
    const data = JSON.parse('{"constructor": "mine", "__proto__": {"toString": 1}}');
    expect(valueAtPath(data, ['constructor'])).toBe('mine');
    expect(valueAtPath(data, ['__proto__', 'toString'])).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { applyOperations, dataType } from '../../../../../functions/steps/data/operations.js';
import type { DataOperation } from '../../../../../pipelines/contract/step-options.js';

const ITEMS = [
  { name: 'a', score: 3, tags: ['x'], meta: { level: 'high' } },
  { name: 'b', score: 10, tags: ['y', 'x'], meta: { level: 'low' } },
  { name: 'c', tags: [], meta: { level: 'high' } },
  { name: 'd', score: 7, tags: ['z'], meta: { level: 'mid' } },
];

const run = (operations: DataOperation[], input: unknown = ITEMS, right: unknown = []) =>
  applyOperations(input, operations, () => right);

describe('applyOperations', () => {
  it.each([
    ['a comparison on the item', { condition: 'score >= 7' }, ['b', 'd']],
    ['`value` for the field', { field: 'meta.level', condition: "value == 'high'" }, ['a', 'c']],
    ['a dotted path', { condition: "meta.level != 'high'" }, ['b', 'd']],
    ['contains on a list', { condition: "tags contains 'x'" }, ['a', 'b']],
    ['truthiness of the field alone', { field: 'tags' }, ['a', 'b', 'd']],
    ['a missing value, never ordered', { condition: 'score < 100' }, ['a', 'b', 'd']],
  ])('filters by %s', (_case, fields, names) => {
    const result = run([{ operation: 'filter', ...fields } as DataOperation]) as { name: string }[];
    expect(result.map((item) => item.name)).toEqual(names);
  });

  it.each([
    ['sum', 20],
    ['average', 20 / 3],
    ['count', 3],
    ['max', 10],
    ['min', 3],
    ['first', 3],
    ['last', 7],
  ] as const)('aggregates with %s, skipping missing values', (fn, expected) => {
    expect(run([{ operation: 'aggregate', field: 'score', function: fn }])).toBe(expected);
  });

  it('aggregates unique values (deep equality), and reports null where no number exists', () => {
    expect(run([{ operation: 'aggregate', field: 'meta.level', function: 'unique' }])).toEqual([
      'high',
      'low',
      'mid',
    ]);
    expect(run([{ operation: 'aggregate', field: 'name', function: 'max' }])).toBeNull();
    expect(run([{ operation: 'aggregate', field: 'name', function: 'average' }])).toBeNull();
  });

  it('maps with a lookup table, an expression, or constant fields', () => {
    expect(run([{ operation: 'map', field: 'meta.level', mapping: { high: 'H' } }])).toMatchObject([
      { meta: { level: 'H' } },
      { meta: { level: 'low' } },
      { meta: { level: 'H' } },
      { meta: { level: 'mid' } },
    ]);
    expect(run([{ operation: 'map', field: 'name', expression: 'uppercase' }])).toMatchObject([
      { name: 'A' },
      { name: 'B' },
      { name: 'C' },
      { name: 'D' },
    ]);
    expect(run([{ operation: 'map', mapping: { source: 'x' } }])).toMatchObject([
      { source: 'x' },
      { source: 'x' },
      { source: 'x' },
      { source: 'x' },
    ]);
    expect(ITEMS[0]).toEqual({ name: 'a', score: 3, tags: ['x'], meta: { level: 'high' } });
  });

  it('sorts numbers numerically and stably, missing values last in either order', () => {
    const names = (order: 'asc' | 'desc') =>
      (run([{ operation: 'sort', field: 'score', order }]) as { name: string }[]).map((item) => item.name);
    expect(names('asc')).toEqual(['a', 'd', 'b', 'c']);
    expect(names('desc')).toEqual(['b', 'd', 'a', 'c']);
  });

  it('groups by a field, as text, and joins with the first matching right item', () => {
    expect(
      run([{ operation: 'group_by', field: 'score' }], [{ score: 1 }, { score: 2 }, { score: 1 }, {}]),
    ).toEqual({
      '1': [{ score: 1 }, { score: 1 }],
      '2': [{ score: 2 }],
      null: [{}],
    });
    const right = [
      { id: 1, owner: 'Ada' },
      { id: 1, owner: 'second' },
      { id: 2, owner: 'Bob' },
    ];
    expect(
      run(
        [{ operation: 'join', left_field: 'owner_id', right_source: '{{inputs.r}}', join_key: 'id' }],
        [{ owner_id: 1 }, { owner_id: 3 }],
        right,
      ),
    ).toEqual([{ owner_id: 1, id: 1, owner: 'Ada' }, { owner_id: 3 }]);
  });

  it('fails with Data.InvalidInput when an operation needs a list', () => {
    expect(() => run([{ operation: 'sort', field: 'x' }], { a: 1 })).toThrow(
      expect.objectContaining({
        name: 'Data.InvalidInput',
        message: expect.stringContaining('operation 1 (sort) needs a list, but got a map (fields: a)'),
      }),
    );
    expect(() => run([{ operation: 'join', right_source: '{{x}}', join_key: 'id' }], [], 'text')).toThrow(
      expect.objectContaining({ name: 'Data.InvalidInput' }),
    );
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'reads an inherited name like %s as a missing field, in fields and in item conditions',
    (name) => {
      const operations = (field: string): DataOperation[] => [
        { operation: 'filter', field },
        { operation: 'filter', field: `meta.${field}` },
        { operation: 'filter', condition: field },
        { operation: 'filter', condition: `${field} != null` },
        { operation: 'filter', condition: `meta.${field} == 'x'` },
        { operation: 'aggregate', field, function: 'count' },
        { operation: 'group_by', field },
        { operation: 'sort', field: `meta.${field}`, order: 'desc' },
        { operation: 'map', field, mapping: { null: 'none' } },
      ];
      const missing = operations('no_such_field').map((operation) => run([operation]));
      const inherited = operations(name).map((operation) => run([operation]));
      expect(JSON.stringify(inherited)).toBe(JSON.stringify(missing).replaceAll('no_such_field', name));
      expect(inherited.slice(0, 3)).toEqual([[], [], []]);
      expect(inherited[5]).toBe(0);
      expect(Object.keys(inherited[6] as object)).toEqual(['null']);
    },
  );

  it('reads list items by index in fields and item conditions, like templates and conditions', () => {
    const names = (operation: DataOperation) =>
      (run([operation]) as { name: string }[]).map((item) => item.name);
    expect(names({ operation: 'filter', condition: "tags.0 == 'x'" })).toEqual(['a']);
    expect(names({ operation: 'filter', field: 'tags.1' })).toEqual(['b']);
  });

  it.each([
    [[1], 'list'],
    [{}, 'map'],
    ['s', 'string'],
    [1, 'number'],
    [false, 'boolean'],
    [null, 'null'],
  ])('names the type of %j as %s', (value, name) => {
    expect(dataType(value)).toBe(name);
  });
});

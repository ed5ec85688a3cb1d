import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { loadPipeline } from '../../pipelines/loader.js';
import { located, runFile, writeFixtures } from './data-harness.js';

/**
 * `data_transform` (reference §5.11): a step-runner Task reading its source through templates,
 * applying filter / map / aggregate / join / group_by / sort, and storing
 * `{OUTPUT_FIELD: data, metadata}` with no clock in it. pipeline_ex's source spellings load with a
 * deprecation warning showing the template they mean.
 */

const ORDERS = JSON.stringify({
  orders: [
    { id: 1, user_id: 10, total: 150, status: 'completed', sku: 'a-1' },
    { id: 2, user_id: 20, total: 50, status: 'completed', sku: 'b-2' },
    { id: 3, user_id: 10, total: 300, status: 'pending', sku: 'c-3' },
    { id: 4, user_id: 20, total: 120, status: 'completed', sku: 'd-4' },
  ],
});

const PIPELINE = [
  'workflow:',
  '  name: transforms',
  '  inputs:',
  '    users: {type: array, default: [{id: 10, name: Ada, tier: gold}, {id: 20, name: Bob, tier: silver}]}',
  '  steps:',
  '    - name: generate',
  '      type: claude',
  '      prompt: [{type: static, content: "Orders as JSON"}]',
  '    - name: high_value',
  '      type: data_transform',
  '      input_source: "previous_response:generate:orders"',
  '      operations:',
  '        - operation: filter',
  '          field: status',
  '          condition: "value == \'completed\'"',
  '        - {operation: filter, condition: "total > 100"}',
  '        - {operation: sort, field: total, order: desc}',
  '      output_field: orders',
  '    - name: enriched',
  '      type: data_transform',
  '      input_source: previous_response:high_value',
  '      operations:',
  '        - {operation: join, left_field: user_id, right_source: "{{inputs.users}}", join_key: id}',
  '        - {operation: map, field: tier, mapping: {gold: G, silver: S}}',
  '        - {operation: map, field: sku, expression: uppercase}',
  '        - {operation: map, mapping: {currency: EUR}}',
  '    - name: by_tier',
  '      type: data_transform',
  '      input_source: "{{steps.enriched.enriched}}"',
  '      operations: [{operation: group_by, field: tier}]',
  '    - name: dotted',
  '      type: data_transform',
  '      input_source: "previous_response:generate.orders"',
  '      operations: [{operation: aggregate, field: total, function: average}]',
  '    - name: none',
  '      type: data_transform',
  '      input_source: "{{inputs.users}}"',
];

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('data_transform', () => {
  it('loads pipeline_ex source spellings with a warning that shows the template', async () => {
    // Prepare
    const dir = await writeFixtures({ 'p.yaml': PIPELINE });

    // Act
    const result = await loadPipeline(join(dir, 'p.yaml'));

    // Assess
    expect(result.pipeline).toBeDefined();
    expect(located(result)).toEqual([
      'DEPRECATED_SYNTAX@11:21',
      'DEPRECATED_SYNTAX@21:21',
      'DEPRECATED_SYNTAX@33:21',
    ]);
    expect(result.issues.map((issue) => issue.hint)).toEqual([
      'write {{steps.generate.orders}}',
      'write {{steps.high_value.orders}}',
      'write {{steps.generate.orders}}',
    ]);
    expect(result.issues[2]?.message).toContain('pipeline_ex does not resolve this dotted form');
  });

  it('runs every operation on the step runner and stores {field: data, metadata}', async () => {
    // Prepare
    const dir = await writeFixtures({ 'p.yaml': PIPELINE });

    // Act
    const { run, result, calls, compiled } = await runFile(stack, join(dir, 'p.yaml'), {
      script: { generate: [ORDERS] },
    });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(calls).toEqual(['generate', 'high_value', 'enriched', 'by_tier', 'dotted', 'none']);
    expect(compiled.bundle.steps.high_value).toMatchObject({
      kind: 'data_transform',
      inputSource: '{{steps.generate.orders}}',
    });
    expect(await result('high_value')).toEqual({
      orders: [
        { id: 1, user_id: 10, total: 150, status: 'completed', sku: 'a-1' },
        { id: 4, user_id: 20, total: 120, status: 'completed', sku: 'd-4' },
      ],
      metadata: { operation_count: 3, input_type: 'list', output_type: 'list' },
    });
    // The right item's fields win on a join, as in pipeline_ex (its id replaces the order's).
    const enriched = [
      {
        id: 10,
        user_id: 10,
        total: 150,
        status: 'completed',
        sku: 'A-1',
        name: 'Ada',
        tier: 'G',
        currency: 'EUR',
      },
      {
        id: 20,
        user_id: 20,
        total: 120,
        status: 'completed',
        sku: 'D-4',
        name: 'Bob',
        tier: 'S',
        currency: 'EUR',
      },
    ];
    expect(await result('enriched')).toMatchObject({ enriched });
    expect(await result('by_tier')).toMatchObject({
      by_tier: { G: [enriched[0]], S: [enriched[1]] },
      metadata: { input_type: 'list', output_type: 'map' },
    });
    expect(await result('dotted')).toMatchObject({ dotted: 155, metadata: { output_type: 'number' } });
    expect(await result('none')).toMatchObject({
      none: [{ name: 'Ada' }, { name: 'Bob' }],
      metadata: { operation_count: 0 },
    });
  });

  it('stores the same artifact for the same input: no clock reading in the result', async () => {
    // Prepare
    const dir = await writeFixtures({ 'p.yaml': PIPELINE });
    const script = { generate: [ORDERS] };

    // Act
    const first = await runFile(stack, join(dir, 'p.yaml'), { script });
    const second = await runFile(stack, join(dir, 'p.yaml'), { script });

    // Assess
    const digest = (steps: Readonly<Record<string, unknown>>) =>
      (steps.by_tier as { artifact: { sha256: string } }).artifact.sha256;
    expect(digest(first.steps)).toBe(digest(second.steps));
  });

  it('fails with Data.InvalidInput when an operation that needs a list gets something else', async () => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: not_a_list',
        '  steps:',
        '    - name: one',
        '      type: test_echo',
        '      value: {orders: 3}',
        '    - name: sorted',
        '      type: data_transform',
        '      input_source: "{{steps.one.result}}"',
        '      operations: [{operation: sort, field: total}]',
      ],
    });

    // Act
    const { run } = await runFile(stack, join(dir, 'p.yaml'));

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ name: 'Data.InvalidInput' });
    expect(run.error?.message).toContain('needs a list, but got a map (fields: orders)');
  });

  it.each([
    [
      'a documented-only operation',
      '{operation: unique, field: x}',
      'INVALID_VALUE@10:32',
      'function: unique',
    ],
    [
      'a documented-only function',
      '{operation: aggregate, function: std_dev}',
      'INVALID_VALUE@10:53',
      'sum, average',
    ],
    [
      'a field of another operation',
      '{operation: sort, field: x, by: y}',
      'UNKNOWN_FIELD@10:48',
      'operation, field, order',
    ],
    [
      'a malformed condition',
      '{operation: filter, condition: "x >"}',
      'INVALID_VALUE@10:51',
      "status == 'completed'",
    ],
  ])('rejects %s with its position', async (_case, operation, at, hint) => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: bad_ops',
        '  steps:',
        '    - name: one',
        '      type: test_echo',
        '      value: [1]',
        '    - name: t',
        '      type: data_transform',
        '      input_source: "{{steps.one.result}}"',
        `      operations: [${operation}]`,
      ],
    });

    // Act
    const result = await loadPipeline(join(dir, 'p.yaml'));

    // Assess
    expect(located(result)).toEqual([at]);
    expect(`${result.issues[0]?.message} ${result.issues[0]?.hint}`).toContain(hint);
  });

  it.each([
    ['text around the template', '"rows: {{inputs.rows}}"', 'INVALID_VALUE@8:21', 'one template'],
    [
      'a step that does not exist',
      'previous_response:nope:items',
      'UNKNOWN_REFERENCE@8:21',
      'name an earlier step',
    ],
    ['the whole answer of an LLM step', 'previous_response:ask', 'INVALID_VALUE@8:21', '{{steps.ask.FIELD}}'],
    ['an unknown context name', 'context:nothing', 'UNKNOWN_REFERENCE@8:21', 'workflow.global_vars'],
  ])('rejects a source naming %s', async (_case, source, at, hint) => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: bad_source',
        '  inputs: {rows: {type: array, default: []}}',
        '  steps:',
        '    - {name: ask, type: claude, prompt: [{type: static, content: hi}]}',
        '    - name: t',
        '      type: data_transform',
        `      input_source: ${source}`,
      ],
    });

    // Act
    const result = await loadPipeline(join(dir, 'p.yaml'));

    // Assess
    expect(located(result)).toEqual([at]);
    expect(result.issues[0]?.hint).toContain(hint);
  });
});

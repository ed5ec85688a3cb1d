import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { START_EXECUTION_SYNC } from '../../pipelines/contract/spec-bundle.js';
import { loadPipeline } from '../../pipelines/loader.js';
import { located, runFile, writeFixtures } from './data-harness.js';

/**
 * `pipeline` (reference §10): a child state machine started with `startExecution.sync:2` (or, with
 * `config.inline: true`, the child's states inside the parent) with its own inputs and scope, under
 * the parent's run; the step's result is the child's declared outputs. Files are loaded with the same
 * loader, cycles found by resolved path, depth and total steps checked statically.
 */

const CORPUS = resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/pipeline_ex-examples');
const FIXTURES = join(CORPUS, 'test/fixtures/pipelines');

const CHILD = [
  'workflow:',
  '  name: child',
  '  inputs:',
  '    topic: {type: string}',
  '    times: {type: integer, default: 2}',
  '  global_vars:',
  '    own: mine',
  '  steps:',
  '    - name: plan',
  '      type: test_echo',
  '      value: {topic: "{{inputs.topic}}", times: "{{inputs.times}}", own: "{{global_vars.own}}"}',
  '    - name: total',
  '      type: test_echo',
  '      value: "{{multiply(inputs.times, 10)}}"',
  '    - name: write',
  '      type: claude',
  '      prompt: [{type: static, content: "Write about {{steps.plan.result.topic}}"}]',
];

function parent(mode: 'child' | 'inline'): string[] {
  return [
    'workflow:',
    '  name: parent',
    '  inputs:',
    '    subject: {type: string, default: queues}',
    '  steps:',
    '    - name: seed',
    '      type: test_echo',
    '      value: {n: 3}',
    '    - name: nested',
    '      type: pipeline',
    '      pipeline_file: sub/child.yaml',
    '      inputs:',
    '        topic: "{{inputs.subject}}"',
    '        times: "{{steps.seed.result.n}}"',
    '      outputs:',
    '        - total',
    '        - {path: plan.topic, as: topic}',
    '        - {path: write.text, as: text}',
    ...(mode === 'inline' ? ['      config: {inline: true}'] : []),
    '    - name: after',
    '      type: test_echo',
    '      value: "{{steps.nested.topic}} x{{steps.nested.total}}"',
  ];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('pipeline (nested)', () => {
  it.each(['child', 'inline'] as const)(
    'runs a pipeline_file as a %s and returns its declared outputs',
    async (mode) => {
      // Prepare
      const dir = await writeFixtures({ 'parent.yaml': parent(mode), 'sub/child.yaml': CHILD });

      // Act
      const { run, result, calls, compiled, entered, artifacts } = await runFile(
        stack,
        join(dir, 'parent.yaml'),
        {
          script: { 'nested.write': ['A text about queues.'] },
        },
      );

      // Assess: the declared outputs, typed, and the parent reading them
      expect(run.status).toBe('SUCCEEDED');
      expect(await result('nested')).toEqual({ total: 30, topic: 'queues', text: 'A text about queues.' });
      expect(await result('after')).toEqual({ result: 'queues x30' });
      // Assess: the child's steps ran under the parent's run, filed under the nesting step's scope
      expect(calls).toEqual([
        'nested._inputs',
        'nested.plan',
        'nested.total',
        'nested.write',
        'nested',
        'after',
      ]);
      const prefix = `tenants/conformance/runs/${run.runId}/steps/`;
      expect((await artifacts.list(prefix)).map((key) => key.slice(prefix.length))).toEqual(
        expect.arrayContaining(['nested.total/1.json', 'nested.write/1.json', 'nested/1.json']),
      );
      expect(Object.keys(compiled.bundle.steps).sort()).toEqual([
        'after',
        'nested',
        'nested._inputs',
        'nested.plan',
        'nested.total',
        'nested.write',
      ]);
      // Assess: the states emitted for each mode
      const states = compiled.asl.States as Record<string, Record<string, unknown>>;
      if (mode === 'child') {
        expect(compiled.children).toHaveLength(1);
        expect(states.nested).toMatchObject({
          Type: 'Task',
          Resource: START_EXECUTION_SYNC,
          Parameters: { StateMachineArn: compiled.children[0]?.placeholder },
        });
        expect(entered).toEqual([
          '_Initialize',
          'seed',
          'nested._inputs',
          'nested',
          'nested._outputs',
          'after',
        ]);
      } else {
        expect(compiled.children).toEqual([]);
        expect(entered).toEqual([
          '_Initialize',
          'seed',
          'nested._inputs',
          'nested',
          'nested._scope',
          'nested.plan',
          'nested.total',
          'nested.write',
          'nested._return',
          'nested._outputs',
          'after',
        ]);
      }
    },
  );

  it.each([true, false])(
    'exposes answer fields to Choice states inside the child (inline: %s)',
    async (inline) => {
      // Prepare
      const dir = await writeFixtures({
        'p.yaml': [
          'workflow:',
          '  name: conditional',
          '  steps:',
          '    - name: outer',
          '      type: pipeline',
          `      config: {inline: ${inline}}`,
          '      pipeline:',
          '        name: inner',
          '        steps:',
          '          - name: triage',
          '            type: claude',
          '            output_schema: {type: object, properties: {severity: {type: string}}, required: [severity]}',
          '            prompt: [{type: static, content: triage}]',
          '          - {name: page, type: test_echo, condition: "steps.triage.severity == \'high\'", value: paged}',
          '          - {name: log, type: test_echo, condition: "steps.triage.severity != \'high\'", value: logged}',
        ],
      });

      // Act
      const { run, result } = await runFile(stack, join(dir, 'p.yaml'), {
        script: { 'outer.triage': ['{"severity": "high"}'] },
      });

      // Assess
      expect(run.status).toBe('SUCCEEDED');
      expect(await result('outer')).toMatchObject({
        triage: { severity: 'high' },
        page: 'paged',
        log: { skipped: true },
      });
    },
  );

  it.each([true, false])(
    'runs once per item inside a for_loop body, loop values as inputs (inline: %s)',
    async (inline) => {
      // Prepare
      const dir = await writeFixtures({
        'p.yaml': [
          'workflow:',
          '  name: looped',
          '  inputs: {items: {type: array, default: [a, b]}}',
          '  steps:',
          '    - name: each',
          '      type: for_loop',
          '      iterator: item',
          '      data_source: "{{inputs.items}}"',
          '      steps:',
          '        - name: child',
          '          type: pipeline',
          `          config: {inline: ${inline}}`,
          '          inputs: {value: "{{loop.item}}"}',
          '          pipeline:',
          '            name: per_item',
          '            steps:',
          '              - {name: first, type: test_echo, value: "{{inputs.value}}"}',
          '              - {name: second, type: test_echo, value: "{{steps.first.result}}!"}',
        ],
      });

      // Act
      const { run, steps, artifacts } = await runFile(stack, join(dir, 'p.yaml'));

      // Assess: each iteration's child result, stored under its own attempt
      expect(run.status).toBe('SUCCEEDED');
      const iterations = (steps.each as { iterations: { steps: { child: { artifact: { key: string } } } }[] })
        .iterations;
      const results = await Promise.all(
        iterations.map(
          async (it) =>
            (await artifacts.getJson<{ response: { data: unknown } }>(it.steps.child.artifact.key)).response
              .data,
        ),
      );
      expect(results).toEqual([
        { first: 'a', second: 'a!' },
        { first: 'b', second: 'b!' },
      ]);
    },
  );

  it('hands over every child result when no outputs are declared, with a nested pipeline inside', async () => {
    // Prepare
    const dir = await writeFixtures({
      'top.yaml': [
        'workflow:',
        '  name: top',
        '  steps:',
        '    - name: outer',
        '      type: pipeline',
        '      pipeline:',
        '        name: middle',
        '        steps:',
        '          - {name: first, type: test_echo, value: one}',
        '          - name: inner',
        '            type: pipeline',
        '            pipeline_file: leaf.yaml',
      ],
      'leaf.yaml': [
        'workflow:',
        '  name: leaf',
        '  steps:',
        '    - {name: deep, type: test_echo, value: [1, 2]}',
      ],
    });

    // Act
    const { run, result, compiled } = await runFile(stack, join(dir, 'top.yaml'));

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(await result('outer')).toEqual({ first: 'one', inner: { deep: [1, 2] } });
    expect(compiled.children.map((child) => child.scope)).toEqual(['outer', 'outer.inner']);
    expect(Object.keys(compiled.bundle.steps).sort()).toEqual(['outer', 'outer.inner']);
  });

  it.each([
    ['child', 'States.TaskFailed'],
    ['inline', 'Step.EchoFailed'],
  ] as const)('fails the parent when the child fails (%s: %s)', async (mode, error) => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: p',
        '  steps:',
        '    - name: nested',
        '      type: pipeline',
        '      pipeline: {name: broken, steps: [{name: boom, type: test_echo, fail: true, error_message: nope}]}',
        ...(mode === 'inline' ? ['      config: {inline: true}'] : []),
        '    - {name: never, type: test_echo}',
      ],
    });

    // Act
    const { run, entered } = await runFile(stack, join(dir, 'p.yaml'));

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe(error);
    expect(run.error?.message).toContain(mode === 'child' ? 'Step.EchoFailed' : 'nope');
    expect(entered).not.toContain('never');
  });

  it.each([
    ['an input the child does not declare', ['      inputs: {topic: a, colour: red}'], 'INVALID_VALUE@7:26'],
    ['a required input left out', ['      inputs: {times: 3}'], 'MISSING_FIELD@7:15'],
    [
      'an output naming no child step',
      ['      inputs: {topic: a}', '      outputs: [nope]'],
      'UNKNOWN_REFERENCE@8:17',
    ],
    ['pipeline_ref', ['      pipeline_ref: registry/x'], 'INVALID_VALUE@7:21'],
  ])('rejects %s with its position', async (_case, fields, at) => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: p',
        '  steps:',
        '    - name: nested',
        '      type: pipeline',
        '      pipeline_file: child.yaml',
        ...fields,
      ],
      'child.yaml': CHILD,
    });

    // Act
    const result = await loadPipeline(join(dir, 'p.yaml'));

    // Assess
    expect(located(result)).toEqual([at]);
  });

  it('finds a cycle by resolved path, whatever the names and spellings', async () => {
    // Prepare: b.yaml names a.yaml as ../x/../a.yaml; both workflows have the same name
    const dir = await writeFixtures({
      'a.yaml': [
        'workflow:',
        '  name: same',
        '  steps:',
        '    - {name: to_b, type: pipeline, pipeline_file: sub/b.yaml}',
      ],
      'sub/b.yaml': [
        'workflow:',
        '  name: same',
        '  steps:',
        '    - {name: to_a, type: pipeline, pipeline_file: ../x/../a.yaml}',
      ],
    });

    // Act
    const result = await loadPipeline(join(dir, 'a.yaml'));

    // Assess: reported at a.yaml's pipeline_file, naming b.yaml's position and the chain
    expect(located(result)).toEqual(['PIPELINE_CYCLE@4:51']);
    expect(result.issues[0]?.message).toBe(
      'in sub/b.yaml:4:51: nested pipelines form a cycle: a.yaml → sub/b.yaml → a.yaml',
    );
  });

  it('does not take two files with the same workflow name for a cycle', async () => {
    // Prepare
    const dir = await writeFixtures({
      'a.yaml': [
        'workflow:',
        '  name: same',
        '  steps:',
        '    - {name: to_b, type: pipeline, pipeline_file: b.yaml}',
      ],
      'b.yaml': ['workflow:', '  name: same', '  steps:', '    - {name: leaf, type: test_echo}'],
    });

    // Act
    const result = await loadPipeline(join(dir, 'a.yaml'));

    // Assess
    expect(result.issues).toEqual([]);
  });

  it('checks nesting depth and total steps statically', async () => {
    // Prepare: a → b → c, with max_depth 1 on b's step; and a step limit the tree exceeds
    const dir = await writeFixtures({
      'a.yaml': [
        'workflow:',
        '  name: a',
        '  steps:',
        '    - {name: to_b, type: pipeline, pipeline_file: b.yaml}',
      ],
      'b.yaml': [
        'workflow:',
        '  name: b',
        '  steps:',
        '    - {name: to_c, type: pipeline, pipeline_file: c.yaml, config: {max_depth: 1}}',
      ],
      'c.yaml': ['workflow:', '  name: c', '  steps:', '    - {name: leaf, type: test_echo}'],
      'many.yaml': [
        'workflow:',
        '  name: many',
        '  steps:',
        '    - {name: one, type: test_echo}',
        '    - {name: to_c, type: pipeline, pipeline_file: c.yaml, config: {max_total_steps: 2}}',
      ],
    });

    // Act
    const deep = await loadPipeline(join(dir, 'a.yaml'));
    const many = await loadPipeline(join(dir, 'many.yaml'));

    // Assess
    expect(located(deep)).toEqual(['NESTING_TOO_DEEP@4:51']);
    expect(deep.issues[0]?.message).toContain(
      'in b.yaml:4:51: this pipeline would run at nesting depth 2, over max_depth 1',
    );
    expect(located(many)).toEqual(['TOO_MANY_STEPS@5:14']);
    expect(many.issues[0]?.message).toContain('3 steps, over max_total_steps 2');
  });

  it.each([
    ['a reference to an input of the parent', '{{inputs.outer}}', 'UNKNOWN_REFERENCE@12:50'],
    ['a reference to a step of the parent', '{{steps.seed.result}}', 'UNKNOWN_REFERENCE@12:50'],
  ])("checks an inline pipeline's steps in their own scope: rejects %s", async (_case, value, at) => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: p',
        '  inputs: {outer: {type: string, default: x}}',
        '  steps:',
        '    - {name: seed, type: test_echo}',
        '    - name: nested',
        '      type: pipeline',
        '      inputs: {given: "{{inputs.outer}}"}',
        '      pipeline:',
        '        name: inner',
        '        steps:',
        `          - {name: bad, type: test_echo, value: "${value}"}`,
        '          - {name: ok, type: test_echo, value: "{{inputs.given}} {{steps.bad.result}}"}',
      ],
    });

    // Act
    const result = await loadPipeline(join(dir, 'p.yaml'));

    // Assess
    expect(located(result)).toEqual([at]);
  });
});

const present = existsSync(FIXTURES);
const title = present
  ? "pipeline_ex's nested pipeline fixtures"
  : `pipeline_ex's nested pipeline fixtures (skipped: ${CORPUS} is absent; it exists in CI, not in a user's clone)`;

describe.skipIf(!present)(title, () => {
  const fixture = (name: string) => join(FIXTURES, name);

  it.each([
    [
      'simple_nested.yaml',
      { nested_step1: 'nested_value_1', nested_step2: 'nested_value_2', nested_final: 'nested_complete' },
    ],
    ['test_nested_basic.yaml', { set_data: 'test_data', verify: 'verification_complete' }],
  ])('%s loads and runs as it is', async (name, echoes) => {
    // Act
    const { run, result } = await runFile(stack, fixture(name));

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    for (const [step, value] of Object.entries(echoes)) expect(await result(step)).toEqual({ result: value });
    if (name === 'test_nested_basic.yaml')
      expect(await result('nested_step')).toEqual({ echo: 'nested_result' });
  });

  it('runs nested_processor, output_extraction_test and context_inherit_test as children', async () => {
    // Prepare: they read inputs and variables only a parent gives them
    const dir = await writeFixtures({
      'parent.yaml': [
        'workflow:',
        '  name: fixtures_parent',
        '  global_vars: {parent_var: from the parent}',
        '  steps:',
        '    - name: processor',
        '      type: pipeline',
        `      pipeline_file: ${JSON.stringify(fixture('nested_processor.yaml'))}`,
        '      inputs: {item_name: widget, item_count: 4, multiplier: 3}',
        '      outputs: [final_count, {path: analysis.metrics.accuracy, as: accuracy}, {path: analysis.details, as: details}]',
        '    - name: extraction',
        '      type: pipeline',
        `      pipeline_file: ${JSON.stringify(fixture('output_extraction_test.yaml'))}`,
        '      outputs: [step1, {path: step2.nested.count, as: count}, {path: analysis.recommendations, as: recs}]',
        '    - name: inherit',
        '      type: pipeline',
        `      pipeline_file: ${JSON.stringify(fixture('context_inherit_test.yaml'))}`,
        '      inputs: {test_input: "{{steps.processor.final_count}}"}',
        '      config: {inherit_context: true, inline: true}',
        '      outputs: [combined_result]',
      ],
    });

    // Act
    const { run, result } = await runFile(stack, join(dir, 'parent.yaml'));

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(await result('processor')).toEqual({
      final_count: 12,
      accuracy: 0.95,
      details: 'Final count: 12',
    });
    expect(await result('extraction')).toEqual({
      step1: 'Simple result',
      count: 42,
      recs: ['Improve data quality', 'Increase sample size'],
    });
    expect(await result('inherit')).toEqual({
      combined_result: 'Using parent variable: from the parent and Using input: 12',
    });
  });

  it.each([
    ['nested_processor.yaml', 'UNKNOWN_REFERENCE'],
    ['context_inherit_test.yaml', 'UNKNOWN_REFERENCE'],
    ['nested_with_error.yaml', 'UNKNOWN_STEP_TYPE'],
  ])('%s alone is rejected with %s (its inputs come from a parent; or on purpose)', async (name, code) => {
    // Act
    const result = await loadPipeline(fixture(name));

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(new Set(result.issues.map((issue) => issue.code))).toEqual(new Set([code]));
  });

  it('rejects nested_with_error.yaml named by a parent, with its code and position', async () => {
    // Prepare
    const written = fixture('nested_with_error.yaml');
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: p',
        '  steps:',
        `    - {name: nested, type: pipeline, pipeline_file: ${JSON.stringify(written)}}`,
      ],
    });

    // Act
    const result = await loadPipeline(join(dir, 'p.yaml'));

    // Assess: at the parent's pipeline_file, naming the child's own position
    expect(located(result)).toEqual(['UNKNOWN_STEP_TYPE@4:53']);
    expect(result.issues[0]?.message).toContain(
      `${relative(dir, written)}:11:13: unknown step type 'invalid_step_type'`,
    );
  });
});

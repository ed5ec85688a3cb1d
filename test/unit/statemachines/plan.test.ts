import { describe, expect, it } from 'vitest';
import { loadPipelineFromString } from '../../../pipelines/loader.js';
import type { Pipeline } from '../../../pipelines/types.js';
import { compilePipeline } from '../../../statemachines/compile.js';
import { childMachines, planPipeline } from '../../../statemachines/plan.js';

/** A checked pipeline from YAML lines under `steps:`, as the plan pass gets it. */
async function load(steps: readonly string[], head: readonly string[] = []): Promise<Pipeline> {
  const source = ['workflow:', '  name: planned', ...head, '  steps:', ...steps].join('\n');
  const { pipeline, issues } = await loadPipelineFromString(source, '/virtual/planned.yaml');
  if (!pipeline) throw new Error(`the test pipeline does not load: ${JSON.stringify(issues)}`);
  return pipeline;
}

/** A Claude step `a` answering JSON: the step most reads below are of. */
const A = [
  '    - name: a',
  '      type: claude',
  '      prompt: [{type: static, content: "Answer as JSON."}]',
];

describe('planPipeline: exposed answer fields', () => {
  it('gathers the fields a condition and a switch read, per step, sorted', async () => {
    const plan = planPipeline(
      await load([
        ...A,
        '    - name: b',
        '      type: claude',
        `      condition: "steps.a.y == 'high'"`,
        '      prompt: [{type: static, content: b}]',
        '    - name: route',
        '      type: switch',
        '      expression: steps.a.x',
        '      cases:',
        '        one: [{name: c, type: claude, prompt: [{type: static, content: c}]}]',
      ]),
    );

    expect(plan.exposedFields.get('a')).toEqual(['x', 'y']);
    expect([...plan.exposedFields.keys()]).toEqual(['a']);
  });

  it('reads the conditions of loops, and of steps inside loops', async () => {
    const plan = planPipeline(
      await load(
        [
          ...A,
          '    - name: again',
          '      type: while_loop',
          '      condition: "steps.a.more == true"',
          '      max_iterations: 2',
          '      steps:',
          '        - {name: w, type: claude, condition: "steps.a.inner > 1", prompt: [{type: static, content: w}]}',
          '    - name: each',
          '      type: for_loop',
          '      iterator: item',
          '      data_source: "{{inputs.items}}"',
          `      continue_condition: "steps.a.skip == 'yes'"`,
          '      steps:',
          '        - {name: f, type: claude, prompt: [{type: static, content: "f {{loop.item}}"}]}',
        ],
        ['  inputs:', '    items: {type: array, default: [1]}'],
      ),
    );

    expect(plan.exposedFields.get('a')).toEqual(['inner', 'more', 'skip']);
  });

  it('does not expose a field read only in a template, nor one a condition the runner evaluates reads', async () => {
    const plan = planPipeline(
      await load([
        ...A,
        '    - name: b',
        '      type: claude',
        '      prompt: [{type: static, content: "Summarize {{steps.a.summary}}"}]',
        // Arithmetic has no Choice rule: the step runner evaluates it, reading the answer in S3.
        '    - name: c',
        '      type: claude',
        '      condition: "steps.a.count + 1 > 2"',
        '      prompt: [{type: static, content: c}]',
        // Truthiness of a value of unknown type has no Choice rule either.
        '    - name: d',
        '      type: claude',
        '      condition: steps.a.flag',
        '      prompt: [{type: static, content: d}]',
      ]),
    );

    expect(plan.exposedFields.size).toBe(0);
    expect(plan.fieldReads).toEqual([]);
  });

  it("records a batch's failure check without exposing it: the counts are not an answer", async () => {
    const plan = planPipeline(
      await load([
        '    - name: batch',
        '      type: claude_batch',
        '      batch_config: {tolerated_failure_count: 1}',
        '      tasks: [{task_id: t1, prompt: one}]',
      ]),
    );

    expect(plan.fieldReads).toEqual([{ step: 'batch', field: 'failed_tasks' }]);
    expect(plan.exposedFields.size).toBe(0);
  });

  it('puts exactly the planned fields in the compiled bundle', async () => {
    const { bundle } = compilePipeline(
      await load([
        ...A,
        '    - name: b',
        '      type: claude',
        `      condition: "steps.a.y == 'high'"`,
        '      prompt: [{type: static, content: "{{steps.a.z}}"}]',
      ]),
    );

    expect(bundle?.steps.a).toMatchObject({ kind: 'llm', exposeFields: ['y'] });
    expect(bundle?.steps.b).not.toHaveProperty('exposeFields');
  });
});

describe('planPipeline: nested pipelines', () => {
  /** Step NAME runs pipeline `child`, whose c2 reads a field of its own c1. */
  const nested = (name: string, indent = '    ', config = ''): string[] =>
    [
      `- name: ${name}`,
      '  type: pipeline',
      ...(config === '' ? [] : [`  config: ${config}`]),
      '  pipeline:',
      '    name: child',
      '    steps:',
      '      - {name: c1, type: claude, prompt: [{type: static, content: c1}]}',
      `      - {name: c2, type: claude, condition: "steps.c1.mood == 'ok'", prompt: [{type: static, content: c2}]}`,
    ].map((line) => `${indent}${line}`);

  it('gives a nested pipeline its child, with scope and placeholder, and its own exposed fields', async () => {
    const plan = planPipeline(await load([...A, ...nested('outer')]));

    const child = plan.nested.get('outer');
    expect(child).toMatchObject({ step: 'outer', scope: 'outer', inline: false });
    expect(child?.placeholder).toMatch(/^\$\{ChildStateMachine_outer_[0-9a-f]{8}\}$/);
    expect(child?.plan.pipeline.workflow.name).toBe('child');
    expect(child?.plan.exposedFields.get('c1')).toEqual(['mood']);
    // The child's reads are of its own steps, in its own machine: not the parent's.
    expect(plan.exposedFields.size).toBe(0);
    expect(childMachines(plan).map((machine) => machine.scope)).toEqual(['outer']);
  });

  it('plans an inline child without a machine of its own, and finds the machines nested under it', async () => {
    const plan = planPipeline(
      await load([
        '    - name: outer',
        '      type: pipeline',
        '      config: {inline: true}',
        '      pipeline:',
        '        name: middle',
        '        steps:',
        ...nested('inner', '          '),
      ]),
    );

    const child = plan.nested.get('outer');
    expect(child?.inline).toBe(true);
    expect(child?.placeholder).toBeUndefined();
    expect(child?.plan.nested.get('inner')?.scope).toBe('outer.inner');
    expect(childMachines(plan).map((machine) => machine.scope)).toEqual(['outer.inner']);
  });

  it('lists the child machines the compiler returns, in scope order, at any depth', async () => {
    const pipeline = await load([
      ...nested('zeta'),
      '    - name: alpha',
      '      type: pipeline',
      '      pipeline:',
      '        name: mid',
      '        steps:',
      ...nested('deep', '          '),
    ]);

    const planned = childMachines(planPipeline(pipeline)).map((machine) => machine.scope);
    const compiled = compilePipeline(pipeline);

    expect(planned).toEqual(['alpha', 'alpha.deep', 'zeta']);
    expect(compiled.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(compiled.children?.map((child) => child.scope)).toEqual(planned);
    expect(compiled.bundle?.steps['zeta.c1']).toMatchObject({ exposeFields: ['mood'] });
    expect(compiled.bundle?.steps['alpha.deep.c1']).toMatchObject({ exposeFields: ['mood'] });
  });
});

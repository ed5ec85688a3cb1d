import { describe, expect, it } from 'vitest';
import { executeStateMachine } from '../../../../local/executor.js';
import { compilePipeline } from '../../../../statemachines/compile.js';
import { pipelineOf, statesOf } from '../pipeline-fixture.js';

/** Runs a compiled pipeline that has no step-runner Tasks and returns its final state. */
async function runPassOnly(pipeline: ReturnType<typeof pipelineOf>, inputs: Record<string, unknown>) {
  const { asl, issues } = compilePipeline(pipeline);
  expect(issues).toEqual([]);
  const result = await executeStateMachine(
    asl ?? {},
    { run: { runId: 'r' }, inputs },
    { taskHandlers: {}, executionName: 'r' },
  );
  if (result.status !== 'SUCCEEDED') throw new Error(`${result.error}: ${result.cause}`);
  return result.output as { global_vars: Record<string, unknown> };
}

describe('set_variable', () => {
  it('compiles literals and input references to a Pass state that keeps earlier variables', async () => {
    // Prepare
    const pipeline = pipelineOf({
      inputs: { repo: { type: 'string' }, depth: { type: 'integer' } },
      global_vars: { team: 'core', retries: 2 },
      steps: [
        {
          name: 'vars',
          type: 'set_variable',
          variables: { retries: 5, target: '{{inputs.repo}}', depth: ' {{inputs.depth}} ', tags: ['a', 'b'] },
        },
      ],
    });

    // Act
    const state = statesOf(compilePipeline(pipeline).asl).vars;
    const output = await runPassOnly(pipeline, { repo: 'elexirion', depth: 3 });

    // Assess
    expect(state?.Type).toBe('Pass');
    expect(output.global_vars).toEqual({
      team: 'core',
      retries: 5,
      target: 'elexirion',
      depth: 3,
      tags: ['a', 'b'],
    });
  });

  it('formats strings that mix text and references, escaping quotes and braces', async () => {
    const pipeline = pipelineOf({
      inputs: { name: { type: 'string' } },
      steps: [
        { name: 'vars', type: 'set_variable', variables: { greeting: "it's {x} for {{inputs.name}}!" } },
      ],
    });

    const output = await runPassOnly(pipeline, { name: 'Ada' });

    expect(output.global_vars.greeting).toBe("it's {x} for Ada!");
  });

  it('hands a formatted string with a backslash to the step runner, which asl-validator would reject in ASL', () => {
    const pipeline = pipelineOf({
      inputs: { dir: { type: 'string' } },
      steps: [{ name: 'vars', type: 'set_variable', variables: { path: 'C:\\{{inputs.dir}}' } }],
    });

    const { asl, issues } = compilePipeline(pipeline);

    expect(issues).toEqual([]);
    expect(statesOf(asl).vars?.Type).toBe('Task');
  });

  it('hands values that read step outputs to the step runner', () => {
    const pipeline = pipelineOf({
      steps: [
        { name: 'plan', type: 'claude', prompt: [{ type: 'static', content: 'Plan.' }] },
        { name: 'vars', type: 'set_variable', variables: { plan: '{{steps.plan.text}}' } },
      ],
    });

    const { asl, bundle } = compilePipeline(pipeline);

    expect(statesOf(asl).vars).toMatchObject({
      Type: 'Task',
      ResultPath: '$.global_vars',
    });
    expect(bundle?.steps.vars).toMatchObject({
      kind: 'set_variable',
      variables: { plan: '{{steps.plan.text}}' },
    });
  });
});

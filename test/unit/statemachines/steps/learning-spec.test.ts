import { describe, expect, it } from 'vitest';
import type { LlmStepSpec } from '../../../../pipelines/contract/spec-bundle.js';
import type { ClaudeStep, Workflow } from '../../../../pipelines/schema.js';
import { compilePipeline } from '../../../../statemachines/compile.js';
import { pipelineOf } from '../pipeline-fixture.js';

function specOf(step: Partial<ClaudeStep>, workflow: Partial<Workflow> = {}): LlmStepSpec {
  const pipeline = pipelineOf({
    ...workflow,
    inputs: { ticket: { type: 'string' } },
    steps: [{ name: 'classify', type: 'claude', prompt: [{ type: 'static', content: 'Go' }], ...step }],
  });
  const { bundle } = compilePipeline(pipeline);
  return bundle?.steps.classify as LlmStepSpec;
}

describe('withLearning', () => {
  it('leaves a step without learning fields as it was, hash included', () => {
    const plain = specOf({});

    expect(plain.evaluators).toBeUndefined();
    expect(plain.optimize).toBeUndefined();
  });

  it("compiles evaluators, the workflow's for a step that opts in, and optimize with every default", () => {
    // Act
    const spec = specOf(
      {
        evaluators: [
          { type: 'contains', value: 'bill', ignore_case: true },
          { type: 'llm_judge', rubric: 'ok', model: 'haiku' },
        ],
        optimize: {
          inputs: {
            ticket: '{{inputs.ticket}}',
            tags: { value: '{{inputs.tags}}', type: 'list[str]', desc: 'labels' },
          },
          outputs: { category: 'a category', score: { type: 'float' } },
        },
      },
      { evaluators: [{ name: 'shared', type: 'regex', pattern: '^b' }] },
    );

    // Assess
    expect(spec.evaluators).toStrictEqual([
      { name: 'contains', kind: 'contains', value: 'bill', ignoreCase: true },
      { name: 'llm_judge', kind: 'llm_judge', rubric: 'ok', model: expect.stringMatching(/^claude-haiku/) },
      { name: 'shared', kind: 'regex', pattern: '^b' },
    ]);
    expect(spec.optimize).toStrictEqual({
      signature: {
        inputs: [
          { name: 'ticket', type: 'str', value: '{{inputs.ticket}}' },
          { name: 'tags', type: 'list[str]', desc: 'labels', value: '{{inputs.tags}}' },
        ],
        outputs: [
          { name: 'category', type: 'str', desc: 'a category' },
          { name: 'score', type: 'float' },
        ],
        chainOfThought: false,
      },
      optimizer: 'bootstrap_few_shot',
      budget: { maxDemos: 4, trials: 10 },
      heldOut: 0.25,
      minExamples: 8,
      margin: 0.02,
      canary: 0,
      seed: 1,
      labelThreshold: 0.8,
    });
  });

  it('checks an output_schema evaluator against the step schema unless it names its own', () => {
    const spec = specOf({ output_schema: { type: 'object' }, evaluators: [{ type: 'output_schema' }] });

    expect(spec.evaluators).toStrictEqual([
      { name: 'output_schema', kind: 'output_schema', schema: { type: 'object' } },
    ]);
  });
});

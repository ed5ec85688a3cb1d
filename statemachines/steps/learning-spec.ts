import type { EvaluatorSpec, OptimizeSpec } from '../../pipelines/contract/learning-spec.js';
import type { LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import { resolveModel } from '../../pipelines/models.js';
import type { Evaluator, Optimize } from '../../pipelines/steps/optimize.js';
import type { Pipeline } from '../../pipelines/types.js';

/** Defaults of `optimize:`, applied at compile time so the spec bundle is complete for the optimizer. */
export const OPTIMIZE_DEFAULTS = {
  optimizer: 'bootstrap_few_shot',
  maxDemos: 4,
  trials: 10,
  heldOut: 0.25,
  minExamples: 8,
  margin: 0.02,
  canary: 0,
  seed: 1,
  labelThreshold: 0.8,
} as const;

/**
 * Adds a step's learning fields to its spec: its evaluators (and, when it opts in, the workflow's),
 * and its `optimize:` block with defaults applied. A step without them keeps its spec unchanged, so
 * its content hash (its prompt version) does not move.
 */
export function withLearning(
  spec: LlmStepSpec,
  step: { readonly evaluators?: readonly Evaluator[]; readonly optimize?: Optimize },
  pipeline: Pipeline,
): LlmStepSpec {
  const written = [
    ...(step.evaluators ?? []),
    ...(step.optimize ? (pipeline.workflow.evaluators ?? []) : []),
  ];
  return {
    ...spec,
    ...(written.length > 0 ? { evaluators: written.map((evaluator) => evaluatorSpec(evaluator, spec)) } : {}),
    ...(step.optimize === undefined ? {} : { optimize: optimizeSpec(step.optimize, spec) }),
  };
}

function evaluatorSpec(evaluator: Evaluator, spec: LlmStepSpec): EvaluatorSpec {
  const name = evaluator.name ?? evaluator.type;
  switch (evaluator.type) {
    case 'output_schema': {
      const schema = evaluator.schema ?? spec.outputSchema;
      // The loader reports a missing schema (learning-checks.ts), so this is a bug, not a user error.
      if (schema === undefined) throw new Error(`internal: output_schema evaluator "${name}" has no schema`);
      return { name, kind: 'output_schema', schema };
    }
    case 'contains':
      return {
        name,
        kind: 'contains',
        value: evaluator.value,
        ...(evaluator.field === undefined ? {} : { field: evaluator.field }),
        ...(evaluator.ignore_case === undefined ? {} : { ignoreCase: evaluator.ignore_case }),
      };
    case 'regex':
      return {
        name,
        kind: 'regex',
        pattern: evaluator.pattern,
        ...(evaluator.field === undefined ? {} : { field: evaluator.field }),
      };
    case 'json_path_equals':
      return { name, kind: 'json_path_equals', path: evaluator.path, equals: evaluator.equals };
    case 'llm_judge':
      return {
        name,
        kind: 'llm_judge',
        rubric: evaluator.rubric,
        ...(evaluator.model === undefined ? {} : { model: resolveModel(spec.family, evaluator.model) }),
      };
    case 'step_succeeded':
      return {
        name,
        kind: 'step_succeeded',
        step: evaluator.step,
        ...(evaluator.field === undefined ? {} : { field: evaluator.field }),
      };
  }
}

/**
 * The `optimize:` block with defaults applied. A judge or reflection model is resolved like the
 * step's `model` (an alias becomes its provider id); absent, the optimizer uses the step's model.
 */
function optimizeSpec(optimize: Optimize, spec: LlmStepSpec): OptimizeSpec {
  const d = OPTIMIZE_DEFAULTS;
  return {
    signature: {
      ...(optimize.instructions === undefined ? {} : { instructions: optimize.instructions }),
      inputs: Object.entries(optimize.inputs).map(([name, field]) =>
        typeof field === 'string'
          ? { name, type: 'str', value: field }
          : {
              name,
              type: field.type ?? 'str',
              ...(field.desc === undefined ? {} : { desc: field.desc }),
              value: field.value,
            },
      ),
      outputs: Object.entries(optimize.outputs).map(([name, field]) =>
        typeof field === 'string'
          ? { name, type: 'str', desc: field }
          : { name, type: field.type ?? 'str', ...(field.desc === undefined ? {} : { desc: field.desc }) },
      ),
      chainOfThought: optimize.chain_of_thought ?? false,
    },
    ...(optimize.metric === undefined ? {} : { metric: optimize.metric }),
    optimizer: optimize.optimizer ?? d.optimizer,
    budget: {
      maxDemos: optimize.budget?.max_demos ?? d.maxDemos,
      trials: optimize.budget?.trials ?? d.trials,
    },
    heldOut: optimize.held_out ?? d.heldOut,
    minExamples: optimize.min_examples ?? d.minExamples,
    margin: optimize.margin ?? d.margin,
    canary: optimize.canary ?? d.canary,
    seed: optimize.seed ?? d.seed,
    labelThreshold: optimize.label_threshold ?? d.labelThreshold,
    ...(optimize.reflection_model === undefined
      ? {}
      : { reflectionModel: resolveModel(spec.family, optimize.reflection_model) }),
    ...(optimize.judge_model === undefined
      ? {}
      : { judgeModel: resolveModel(spec.family, optimize.judge_model) }),
  };
}

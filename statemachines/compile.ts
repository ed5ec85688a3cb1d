import type { Step } from '../pipelines/schema.js';
import type { Pipeline, PipelineIssue } from '../pipelines/types.js';
import { contentHash } from './canonical-json.js';
import { checkAsl } from './check.js';
import { type EmitContext, type EmittedStep, transition } from './steps/context.js';
import { checkLiteralKeys } from './steps/literal-keys.js';
import { emitLlmStep } from './steps/llm.js';
import { emitSetVariableStep } from './steps/set-variable.js';
import type { AslObject, SpecBundle, StepSpec, VersionedStepSpec } from './types.js';

/** The first state: it gives the run its initial shape, so every later path exists. */
export const INITIAL_STATE = '_Initialize';

/** What compiling yields: the ASL and spec bundle when there are no errors, and every issue found. */
export interface CompileResult {
  readonly asl?: AslObject;
  readonly bundle?: SpecBundle;
  readonly issues: readonly PipelineIssue[];
}

/**
 * Compiles a loaded pipeline into Amazon States Language (JSONPath dialect) plus its spec bundle.
 * Pure and deterministic: the same pipeline always yields byte-identical output, and resources appear
 * only as `${…}` placeholders.
 *
 * @example
 * const { pipeline } = await loadPipeline('pipelines/examples/chain.yaml');
 * const { asl, bundle, issues } = compilePipeline(pipeline);
 */
export function compilePipeline(pipeline: Pipeline): CompileResult {
  const issues: PipelineIssue[] = [];
  const { workflow } = pipeline;
  const states: AslObject = {};
  const specs: Record<string, StepSpec> = {};
  const knownGlobalVars = new Set(Object.keys(workflow.global_vars ?? {}));
  const report: EmitContext['report'] = (issue) =>
    issues.push({ severity: 'error', range: [0, 0], ...issue });
  checkLiteralKeys(workflow.global_vars, ['workflow', 'global_vars'], report);

  workflow.steps.forEach((step, index) => {
    const ctx: EmitContext = {
      pipeline,
      index,
      knownGlobalVars: new Set(knownGlobalVars),
      next: workflow.steps[index + 1]?.name,
      report,
    };
    const emitted = emitStep(step, ctx);
    states[step.name] = emitted.state;
    if (emitted.spec) specs[step.name] = emitted.spec;
    if (step.type === 'set_variable')
      for (const name of Object.keys(step.variables)) knownGlobalVars.add(name);
  });

  const bundle = buildBundle(pipeline, specs);
  const asl: AslObject = {
    Comment: `Elexirion pipeline ${workflow.name} (spec bundle ${bundle.hash.slice(0, 12)}); compiled, do not edit`,
    StartAt: INITIAL_STATE,
    States: { [INITIAL_STATE]: initialState(pipeline, workflow.steps[0]?.name), ...states },
  };
  if (issues.length === 0) issues.push(...checkAsl(asl));
  return issues.some((issue) => issue.severity === 'error') ? { issues } : { asl, bundle, issues };
}

function emitStep(step: Step, ctx: EmitContext): EmittedStep {
  switch (step.type) {
    case 'claude':
    case 'gemini':
      return emitLlmStep(step, ctx);
    case 'set_variable':
      return emitSetVariableStep(step, ctx);
    default: {
      const unhandled: never = step;
      throw new Error(`internal: no emitter for step ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Keeps `run` and `inputs` from the execution input and adds the declared variables and an empty step map. */
function initialState(pipeline: Pipeline, first: string | undefined): AslObject {
  return {
    Type: 'Pass',
    Parameters: {
      'run.$': '$.run',
      'inputs.$': '$.inputs',
      global_vars: (pipeline.workflow.global_vars ?? {}) as AslObject,
      steps: {},
    },
    ...transition(first),
  };
}

function buildBundle(pipeline: Pipeline, specs: Record<string, StepSpec>): SpecBundle {
  const steps: Record<string, VersionedStepSpec> = {};
  for (const [stepId, spec] of Object.entries(specs)) steps[stepId] = { ...spec, hash: contentHash(spec) };
  const inputs = pipeline.workflow.inputs ?? {};
  const name = pipeline.workflow.name;
  return { pipeline: name, hash: contentHash({ name, inputs, steps }), inputs, steps };
}

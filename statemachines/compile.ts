import type { Pipeline, PipelineIssue } from '../pipelines/types.js';
import { contentHash } from './canonical-json.js';
import { checkAsl } from './check.js';
import { emitSequence } from './sequence.js';
import { type EmitContext, transition } from './steps/context.js';
import { checkLiteralKeys } from './steps/literal-keys.js';
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
  const report: EmitContext['report'] = (issue) =>
    issues.push({ severity: 'error', range: [0, 0], ...issue });
  checkLiteralKeys(workflow.global_vars, ['workflow', 'global_vars'], report);

  const body = emitSequence(
    pipeline,
    workflow.steps,
    {
      path: ['workflow', 'steps'],
      knownGlobalVars: new Set(Object.keys(workflow.global_vars ?? {})),
      next: undefined,
    },
    report,
  );
  const bundle = buildBundle(pipeline, body.specs);
  const asl: AslObject = {
    Comment: `Elexirion pipeline ${workflow.name} (spec bundle ${bundle.hash.slice(0, 12)}); compiled, do not edit`,
    StartAt: INITIAL_STATE,
    States: { [INITIAL_STATE]: initialState(pipeline, body.startAt), ...body.states },
  };
  if (issues.length === 0) issues.push(...checkAsl(asl));
  return issues.some((issue) => issue.severity === 'error') ? { issues } : { asl, bundle, issues };
}

/** Keeps `run` and `inputs` from the execution input and adds the declared variables and an empty step map. */
function initialState(pipeline: Pipeline, first: string): AslObject {
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

function buildBundle(pipeline: Pipeline, specs: Readonly<Record<string, StepSpec>>): SpecBundle {
  const steps: Record<string, VersionedStepSpec> = {};
  for (const [stepId, spec] of Object.entries(specs)) steps[stepId] = { ...spec, hash: contentHash(spec) };
  const inputs = pipeline.workflow.inputs ?? {};
  const name = pipeline.workflow.name;
  return { pipeline: name, hash: contentHash({ name, inputs, steps }), inputs, steps };
}

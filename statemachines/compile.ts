import { contentHash } from '../pipelines/canonical-json.js';
import {
  type AslObject,
  CHILD_STATE_MACHINE_PLACEHOLDER,
  type ChildStateMachine,
  type SpecBundle,
  type StepSpec,
  type VersionedStepSpec,
} from '../pipelines/contract/spec-bundle.js';
import type { Pipeline, PipelineIssue } from '../pipelines/types.js';
import { checkAsl } from './check.js';
import { withExposedFields } from './exposed-fields.js';
import { checkInputDefaults, checkLimits, type LimitEstimate, stateBytesBesideInputs } from './limits.js';
import { emitSequence } from './sequence.js';
import { type EmitContext, transition } from './steps/context.js';
import { checkLiteralKeys } from './steps/literal-keys.js';

/** The first state: it gives the run its initial shape, so every later path exists. */
export const INITIAL_STATE = '_Initialize';

/** What compiling yields: the ASL and spec bundle when there are no errors, and every issue found. */
export interface CompileResult {
  readonly asl?: AslObject;
  readonly bundle?: SpecBundle;
  readonly issues: readonly PipelineIssue[];
  /**
   * The state machines of nested pipelines, each deployed beside this one; `asl` names each by its
   * placeholder (`${ChildStateMachine_…}`), which becomes its ARN. Empty when nothing is nested.
   */
  readonly children?: readonly ChildStateMachine[];
  /** The estimates of the quota check (`limits.ts`), one per state machine, this one first. */
  readonly limits?: readonly LimitEstimate[];
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
  // Choice states read answer fields from the state: the runner must put exactly those there.
  const bundle = buildBundle(pipeline, withExposedFields(body.states, body.specs, workflow));
  const asl: AslObject = {
    Comment: `Elexirion pipeline ${workflow.name} (spec bundle ${bundle.hash.slice(0, 12)}); compiled, do not edit`,
    StartAt: INITIAL_STATE,
    States: { [INITIAL_STATE]: initialState(pipeline, body.startAt), ...body.states },
  };
  // Sorted by scope, so the same pipeline always lists its children alike.
  const children = Object.values(body.machines ?? {}).sort((a, b) => (a.scope < b.scope ? -1 : 1));
  if (issues.length === 0) {
    issues.push(...checkAsl(asl), ...children.flatMap((child) => checkAsl(child.definition)));
    issues.push(...missingChildMachines(asl, children));
  }
  const limits = checkLimits(asl, children);
  const stateBytes = stateBytesBesideInputs(limits.estimates);
  issues.push(...limits.issues, ...checkInputDefaults(workflow.inputs ?? {}, stateBytes));
  return issues.some((issue) => issue.severity === 'error')
    ? { issues, limits: limits.estimates }
    : { asl, bundle: { ...bundle, stateBytes }, issues, children, limits: limits.estimates };
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

/** The bundle but its `stateBytes`, which the quota check estimates from the definition. */
function buildBundle(
  pipeline: Pipeline,
  specs: Readonly<Record<string, StepSpec>>,
): Omit<SpecBundle, 'stateBytes'> {
  const steps: Record<string, VersionedStepSpec> = {};
  for (const [stepId, spec] of Object.entries(specs)) steps[stepId] = { ...spec, hash: contentHash(spec) };
  const inputs = pipeline.workflow.inputs ?? {};
  const name = pipeline.workflow.name;
  return { pipeline: name, hash: contentHash({ name, inputs, steps }), inputs, steps };
}

/** A child placeholder with no definition: an emitter that composes steps dropped their `machines`. */
function missingChildMachines(asl: AslObject, children: readonly ChildStateMachine[]): PipelineIssue[] {
  const defined = new Set(children.map((child) => child.placeholder));
  const named = [asl, ...children.map((child) => child.definition)].flatMap(
    (definition) => JSON.stringify(definition).match(CHILD_STATE_MACHINE_PLACEHOLDER) ?? [],
  );
  return [...new Set(named)]
    .filter((placeholder) => !defined.has(placeholder))
    .map((placeholder) => ({
      code: 'ASL_INVALID',
      severity: 'error',
      message: `compiled state machine names ${placeholder}, whose definition was not emitted`,
      hint: 'this is a bug in the Elexirion compiler; please report it with the pipeline file',
      path: [],
      range: [0, 0],
    }));
}

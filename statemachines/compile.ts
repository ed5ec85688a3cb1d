import { contentHash } from '../pipelines/canonical-json.js';
import type {
  AslObject,
  ChildStateMachine,
  SpecBundle,
  StepSpec,
  VersionedStepSpec,
} from '../pipelines/contract/spec-bundle.js';
import type { Pipeline, PipelineIssue } from '../pipelines/types.js';
import { checkAsl } from './check.js';
import { withExposedFields } from './exposed-fields.js';
import { checkInputDefaults, checkLimits, type LimitEstimate, stateBytesBesideInputs } from './limits.js';
import { type ChildMachinePlan, childMachines, planPipeline } from './plan.js';
import { applyPolicies } from './policy-pass.js';
import { emitSequence } from './sequence.js';
import { type EmitSinks, transition } from './steps/context.js';
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
 * only as `${…}` placeholders. In passes: plan (facts read from the pipeline, `plan.ts`), emit (the
 * step emitters), policies (every Task's Retry, `policy-pass.ts`), check (asl-validator, quotas),
 * bundle (the specs, with the state's size the quota check estimated).
 *
 * @example
 * const { pipeline } = await loadPipeline('pipelines/examples/chain.yaml');
 * const { asl, bundle, issues } = compilePipeline(pipeline);
 */
export function compilePipeline(pipeline: Pipeline): CompileResult {
  const issues: PipelineIssue[] = [];
  const { workflow } = pipeline;
  const definitions = new Map<string, AslObject>();
  const sinks: EmitSinks = {
    report: (issue) => issues.push({ severity: 'error', range: [0, 0], ...issue }),
    defineMachine: (placeholder, definition) => {
      if (definitions.has(placeholder)) throw new Error(`internal: ${placeholder} was defined twice`);
      definitions.set(placeholder, definition);
    },
  };
  checkLiteralKeys(workflow.global_vars, ['workflow', 'global_vars'], sinks.report);

  const plan = planPipeline(pipeline);
  const body = emitSequence(
    plan,
    workflow.steps,
    {
      path: ['workflow', 'steps'],
      knownGlobalVars: new Set(Object.keys(workflow.global_vars ?? {})),
      next: undefined,
    },
    sinks,
  );
  const planned = childMachines(plan);
  const children = planned.flatMap((child) => definedChild(child, definitions));
  applyPolicies(body.states);
  for (const child of children) applyPolicies(child.definition.States as AslObject);

  // Choice states read answer fields from the state: the runner must put exactly those there.
  const bundle = buildBundle(pipeline, withExposedFields(body.specs, plan.exposedFields));
  const asl: AslObject = {
    Comment: `Elexirion pipeline ${workflow.name} (spec bundle ${bundle.hash.slice(0, 12)}); compiled, do not edit`,
    StartAt: INITIAL_STATE,
    States: { [INITIAL_STATE]: initialState(pipeline, body.startAt), ...body.states },
  };
  if (issues.length === 0) {
    issues.push(...checkAsl(asl), ...children.flatMap((child) => checkAsl(child.definition)));
    issues.push(...undefinedChildren(planned, definitions));
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

/** A planned child with the definition its nesting step's emitter handed over, if it did. */
function definedChild(
  child: ChildMachinePlan,
  definitions: ReadonlyMap<string, AslObject>,
): ChildStateMachine[] {
  const definition = definitions.get(child.placeholder);
  return definition === undefined ? [] : [{ placeholder: child.placeholder, scope: child.scope, definition }];
}

/**
 * A planned child with no definition, or a definition nothing planned: an emitter lost or made up a
 * child state machine, so the definition would start a machine that is never deployed.
 */
function undefinedChildren(
  planned: readonly ChildMachinePlan[],
  definitions: ReadonlyMap<string, AslObject>,
): PipelineIssue[] {
  const names = new Set(planned.map((child) => child.placeholder));
  const missing = [...names].filter((placeholder) => !definitions.has(placeholder));
  const unplanned = [...definitions.keys()].filter((placeholder) => !names.has(placeholder));
  return [
    ...missing.map(
      (placeholder) => `compiled state machine names ${placeholder}, whose definition was not emitted`,
    ),
    ...unplanned.map(
      (placeholder) => `compiled state machine defines ${placeholder}, which the plan has no step for`,
    ),
  ].map((message) => ({
    code: 'ASL_INVALID',
    severity: 'error',
    message,
    hint: 'this is a bug in the Elexirion compiler; please report it with the pipeline file',
    path: [],
    range: [0, 0],
  }));
}

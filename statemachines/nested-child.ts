import type { AslObject } from '../pipelines/contract/spec-bundle.js';
import type { NestedOutput } from '../pipelines/contract/step-options.js';
import { nestedOutputs, type PipelineStep } from '../pipelines/steps/pipeline.js';
import type { Pipeline } from '../pipelines/types.js';
import { scopeOf } from './child-pipeline.js';
import { compileValue, fitsPassState, setParameter } from './steps/asl-values.js';
import type { EmitContext } from './steps/context.js';
import { checkLiteralKeys } from './steps/literal-keys.js';

/**
 * How a nested pipeline step hands over to its child and back: the child's inputs, variables and
 * outputs (where the child comes from, and its scope, are in `child-pipeline.ts`).
 */

/**
 * The outputs the step returns, each naming a top-level child step and a path in its result.
 * Without `outputs`, every child step with a result. A test_echo's value is its `result` field, so a
 * whole test_echo output is that value and a path into one reads inside it, as pipeline_ex's
 * `{path: "analysis.metrics"}` does.
 */
export function childOutputs(step: PipelineStep, child: Pipeline): NestedOutput[] {
  const types = new Map(child.workflow.steps.map((s) => [s.name, s.type]));
  const declared =
    nestedOutputs(step.outputs) ??
    child.workflow.steps
      .filter((s) => s.type !== 'set_variable')
      .map((s) => ({ as: s.name, step: s.name, path: [] as string[] }));
  return declared.map((output) => {
    if (types.get(output.step) !== 'test_echo' || output.path[0] === 'result') return output;
    return output.path.length === 0
      ? { ...output, unwrap: true }
      : { ...output, path: ['result', ...output.path] };
  });
}

/** The values of the child's inputs: its declared defaults, then the step's `inputs` over them. */
export function childInputValues(step: PipelineStep, child: Pipeline): Record<string, unknown> | undefined {
  const defaults = Object.fromEntries(
    Object.entries(child.workflow.inputs ?? {}).flatMap(([name, decl]) =>
      decl.default === undefined ? [] : [[name, decl.default]],
    ),
  );
  if (step.inputs === undefined && step.config?.inherit_context) return undefined;
  return { ...defaults, ...step.inputs };
}

/** True when every input value can be computed in ASL alone (no step output, no function call). */
export function inputsFitPassState(values: Readonly<Record<string, unknown>> | undefined): boolean {
  return Object.values(values ?? {}).every(fitsPassState);
}

/**
 * What the parent hands the child: its run identity and scope, inputs, and the variables it starts
 * with. `inputsPath` points at inputs a step-runner Task evaluated; otherwise they are compiled here.
 */
export function childEntryParameters(
  step: PipelineStep,
  child: Pipeline,
  ctx: EmitContext,
  inputsPath: string | undefined,
): AslObject {
  const values = childInputValues(step, child);
  const entry: AslObject = { 'parent_run.$': copyOf('$.run'), run_scope: { scope: scopeOf(child) } };
  if (inputsPath !== undefined) entry['inputs.$'] = inputsPath;
  else if (values === undefined) entry['inputs.$'] = '$.inputs';
  else entry.inputs = compiledInputs(values, [...ctx.path, 'inputs'], ctx);
  if (step.config?.inherit_context) entry['inherited_vars.$'] = copyOf('$.global_vars');
  else entry['inherited_vars.$'] = "States.StringToJson('{}')";
  const own = child.workflow.global_vars ?? {};
  checkLiteralKeys(own, [...ctx.path, 'global_vars'], ctx.report);
  entry.own_vars = own as AslObject;
  return entry;
}

/**
 * A copy of the object at `path`. The child merges into its run identity and variables with
 * `States.JsonMerge`, which aws-local-stepfunctions performs in place (`Object.assign` on its first
 * argument): merged into the parent's own objects, they would change the parent's state too.
 */
function copyOf(path: string): string {
  return `States.StringToJson(States.JsonToString(${path}))`;
}

/**
 * The child's first state's Parameters: its run identity with the child's scope, its inputs, its
 * variables (inherited ones under its own), and no step results yet.
 */
export function childInitialParameters(): AslObject {
  return {
    'run.$': 'States.JsonMerge($.parent_run, $.run_scope, false)',
    'inputs.$': '$.inputs',
    'global_vars.$': 'States.JsonMerge($.inherited_vars, $.own_vars, false)',
    steps: {},
  };
}

/** The global variables the child's steps may read from its start. */
export function childKnownGlobalVars(step: PipelineStep, child: Pipeline, ctx: EmitContext): Set<string> {
  const inherited = step.config?.inherit_context ? [...ctx.knownGlobalVars] : [];
  return new Set([...inherited, ...Object.keys(child.workflow.global_vars ?? {})]);
}

function compiledInputs(
  values: Readonly<Record<string, unknown>>,
  path: (string | number)[],
  ctx: EmitContext,
): AslObject {
  const parameters: AslObject = {};
  for (const [name, value] of Object.entries(values)) {
    setParameter(parameters, name, compileValue(value, [...path, name], ctx.report));
  }
  return parameters;
}

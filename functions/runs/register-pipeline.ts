import type { AslObject } from '../../pipelines/contract/spec-bundle.js';
import { formatIssue, formatIssues, positionOf } from '../../pipelines/format-issues.js';
import { fieldName } from '../../pipelines/issues.js';
import type { ReadTextFile } from '../../pipelines/pipeline-folder.js';
import type { PipelineIssue } from '../../pipelines/types.js';
import { buildPipelineSource } from '../../statemachines/build.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { ExecutionEngine } from '../ports/execution-engine.js';
import type { PipelineRegistry } from '../ports/registered-pipelines.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { type ErrorDetail, RequestError } from '../shared/request-error.js';

/** What registering a pipeline needs. */
export interface RegistrationDeps {
  readonly runs: PipelineRegistry;
  readonly artifacts: ArtifactStore;
  readonly engine: ExecutionEngine;
  readonly now: () => Date;
  /** The state machine name of a tenant's pipeline. */
  readonly stateMachineName: (tenantId: string, pipeline: string) => string;
}

/** A registered pipeline. */
export interface Registration {
  readonly name: string;
  /** False when the pipeline was registered before and this replaced it. */
  readonly created: boolean;
  readonly bundleHash: string;
  /** Each warning as `NAME.yaml:LINE:COL: warning[CODE]: message`. */
  readonly warnings: readonly string[];
}

/**
 * Registers or updates a tenant's pipeline from its YAML: loads and compiles it, creates or updates
 * its state machine through the engine, stores the spec bundle, and records it in the registry.
 * An invalid pipeline is INVALID_PIPELINE with every error's `LINE:COL`, and nothing is changed;
 * a state machine of its name that this tenant's registration did not create is
 * STATE_MACHINE_CONFLICT, and nothing is changed either.
 *
 * @example
 * await registerPipeline({ tenantId: 'acme', name: 'chain', source: yamlText }, deps);
 */
export async function registerPipeline(
  request: { readonly tenantId: string; readonly name: string; readonly source: string },
  deps: RegistrationDeps,
): Promise<Registration> {
  const { tenantId, name, source } = request;
  const file = `${name}.yaml`;
  const build = await buildPipelineSource(source, file, refuseFileParts);
  if (!build.ok) {
    const errors = build.issues.filter((issue) => issue.severity === 'error');
    throw new RequestError(
      'INVALID_PIPELINE',
      `the pipeline is invalid:\n${formatIssues(file, source, errors)}`,
      errors.map((issue) => issueDetail(source, issue)),
    );
  }
  if (build.bundle.pipeline !== name) {
    throw new RequestError(
      'INVALID_PIPELINE',
      `workflow.name is "${build.bundle.pipeline}" but the URL names the pipeline "${name}"`,
      [
        {
          field: 'workflow.name',
          message: `write name: ${name}, or PUT it to /v1/pipelines/${build.bundle.pipeline}`,
        },
      ],
    );
  }
  if (build.children.length > 0) {
    // Child state machines are deployed with a tenant's stack; a registration deploys one machine.
    throw new RequestError(
      'INVALID_PIPELINE',
      'a pipeline registered through the API cannot run nested pipelines as child executions',
      build.children.map((child) => ({
        field: `step ${child.scope}`,
        message: 'set config: {inline: true} on this pipeline step, or ship the pipeline with the stack',
      })),
    );
  }
  const testSteps = Object.entries(build.bundle.steps).filter(([, spec]) => spec.kind === 'test');
  if (testSteps.length > 0) {
    // A test step runs on the tenant stack's test-runner task, which only a stack deployment creates.
    throw new RequestError(
      'INVALID_PIPELINE',
      'a pipeline registered through the API cannot have test steps: they run on the test runner a tenant stack deploys',
      testSteps.map(([step]) => ({
        field: `step ${step}`,
        message:
          'ship the pipeline with the stack (DEPLOYED_PIPELINES), or run it locally with elexirion run --repo DIR',
      })),
    );
  }
  const previous = await deps.runs.getPipeline(tenantId, name);
  const machineName = deps.stateMachineName(tenantId, name);
  const stateMachine = await deployOwnStateMachine(
    deps.engine,
    machineName,
    build.asl,
    previous?.stateMachine,
  );
  const bundleKey = artifactKeys.specBundle(tenantId, name, build.bundle.hash);
  await deps.artifacts.putJson(bundleKey, build.bundle);
  const { workflow } = build.pipeline;
  await deps.runs.putPipeline({
    tenantId,
    name,
    ...(workflow.description === undefined ? {} : { description: workflow.description }),
    bundleKey,
    bundleHash: build.bundle.hash,
    stateMachine,
    inputs: build.bundle.inputs,
    steps: workflow.steps.map((step) => step.name),
    updatedAt: deps.now().toISOString(),
  });
  return {
    name,
    created: previous === undefined,
    bundleHash: build.bundle.hash,
    warnings: build.issues.map((issue) => formatIssue(file, source, issue)),
  };
}

/**
 * Creates the pipeline's state machine, or updates the one the tenant's registry record says its
 * registration created (`replaces`, that record's exact ARN). Any other machine of that name was not
 * made by this registration (it may be another tenant's): it is STATE_MACHINE_CONFLICT and unchanged.
 */
async function deployOwnStateMachine(
  engine: ExecutionEngine,
  name: string,
  asl: AslObject,
  replaces: string | undefined,
): Promise<string> {
  try {
    return await engine.deployStateMachine(name, asl, replaces);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'StateMachineAlreadyExists')) throw error;
    throw new RequestError(
      'STATE_MACHINE_CONFLICT',
      `the state machine ${name} exists, but not as this pipeline's in the registry; it is left unchanged`,
      [{ field: 'name', message: 'register the pipeline under another name' }],
    );
  }
}

/** A registered pipeline has no folder to read `file` prompt parts from. */
const refuseFileParts: ReadTextFile = async () => {
  throw new Error('a pipeline registered through the API cannot read files; put the text in a static part');
};

function issueDetail(source: string, issue: PipelineIssue): ErrorDetail {
  const { line, col } = positionOf(source, issue.range[0]);
  return {
    ...(issue.path.length ? { field: fieldName(issue.path) } : {}),
    message: issue.message,
    code: issue.code,
    line,
    col,
    ...(issue.hint === undefined ? {} : { hint: issue.hint }),
  };
}

import { ErrorName } from '../../pipelines/contract/errors.js';
import {
  type SpecBundle,
  TestRunnerContainer,
  type TestStepSpec,
} from '../../pipelines/contract/spec-bundle.js';
import type { RunIdentity } from '../../pipelines/contract/step-event.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { WorkspaceFiles } from '../ports/workspace-files.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { ElexirionError } from '../shared/errors.js';
import { RunIdentitySchema } from '../step-runner/step-event.js';
import { RunChangeSet, type RunWorkspaceRef } from '../workspaces/run-change-set.js';
import type { TestOutcome } from './outcome.js';
import { type RunTestsOptions, runTests } from './run-tests.js';

/** What a test-runner task is asked: which run, and which of its steps (as a step-runner event names it). */
export interface TestTaskRequest {
  readonly run: RunIdentity;
  readonly stepId: string;
}

/** Opens a run's files: its workspace's snapshot with the run's change set over it. */
export type OpenWorkspaceFiles = (ref: RunWorkspaceRef) => Promise<WorkspaceFiles>;

/** Opens a run's files through its change set, as the container and the local stack both do. */
export function runChangeSetFiles(artifacts: ArtifactStore): OpenWorkspaceFiles {
  return async (ref) => (await RunChangeSet.open(artifacts, ref)).files();
}

/** What a test-runner task reads and writes. */
export interface TestTaskDeps extends RunTestsOptions {
  readonly artifacts: ArtifactStore;
  /** Reads a spec bundle by key (the run's, named in its identity). */
  readonly loadBundle: (key: string) => Promise<SpecBundle>;
  readonly openFiles: OpenWorkspaceFiles;
}

/**
 * The request in a test-runner task's environment: the container's own, or locally the
 * `Environment` of the Task's container override, set by the compiled `ecs:runTask.sync` Task.
 *
 * @example
 * readTestTaskRequest({ ELEXIRION_TEST_RUN: '{"tenantId":"acme",…}', ELEXIRION_TEST_STEP: 'verify' });
 */
export function readTestTaskRequest(env: Readonly<Record<string, string | undefined>>): TestTaskRequest {
  const { runVariable, stepVariable } = TestRunnerContainer;
  const [run, stepId] = [env[runVariable], env[stepVariable]];
  if (!run || !stepId) {
    throw new Error(
      `a test-runner task needs ${runVariable} and ${stepVariable} in its environment; it is started by a test step's ecs:runTask.sync Task, which sets them`,
    );
  }
  let identity: unknown;
  try {
    identity = JSON.parse(run);
  } catch (error) {
    throw new Error(`${runVariable} is not JSON: ${(error as Error).message}`);
  }
  return { run: RunIdentitySchema.parse(identity), stepId };
}

/**
 * Runs one test-runner task: the step's spec from the run's bundle, the run's files (its workspace
 * with its change set), the command on them (`runTests`), then its log and outcome uploaded under
 * the run, named by `taskId`, where the step runner's next Task reads them. What the pipeline can
 * handle (no workspace, a missing spec) is uploaded as the outcome's named error, so the step
 * fails with that name, Catch-able; anything else rejects, and the task with it.
 *
 * @example
 * await runTestTask(readTestTaskRequest(process.env), taskId, { artifacts, loadBundle, openFiles });
 */
export async function runTestTask(
  request: TestTaskRequest,
  taskId: string,
  deps: TestTaskDeps,
): Promise<TestOutcome> {
  const { run } = request;
  // Inside a nested pipeline a step's spec and artifacts are filed under its scope, as the step runner files them.
  const stepId = run.scope ? `${run.scope}.${request.stepId}` : request.stepId;
  let outcome: TestOutcome;
  let log: string;
  try {
    const spec = await testSpec(deps, run.bundleKey, stepId);
    const files = await deps.openFiles({
      tenantId: run.tenantId,
      runId: run.runId,
      workspaceId: workspaceOf(run, stepId),
    });
    const ran = await runTests(files, spec, deps);
    outcome = { result: ran.result };
    log = ran.log;
  } catch (error) {
    if (!isPipelineError(error)) throw error;
    outcome = { error: { name: error.name, message: error.message } };
    log = `${error.name}: ${error.message}\n`;
  }
  const keys = artifactKeys.testRun(run.tenantId, run.runId, stepId, taskId);
  // The log first: an outcome that exists always has its log beside it.
  await deps.artifacts.putText(keys.log, log, 'text/plain; charset=utf-8');
  await deps.artifacts.putJson(keys.outcome, outcome);
  return outcome;
}

async function testSpec(deps: TestTaskDeps, bundleKey: string, stepId: string): Promise<TestStepSpec> {
  const spec = (await deps.loadBundle(bundleKey)).steps[stepId];
  if (spec?.kind !== 'test') {
    throw new ElexirionError(
      ErrorName.SpecNotFound,
      `spec bundle ${bundleKey} has no test step "${stepId}"${spec ? ` (it is a ${spec.kind} step)` : ''}`,
    );
  }
  return spec;
}

function workspaceOf(run: RunIdentity, stepId: string): string {
  if (run.workspaceId !== undefined) return run.workspaceId;
  throw new ElexirionError(
    ErrorName.WorkspaceInvalid,
    `test step "${stepId}" runs its command on the run's workspace, and run ${run.runId} has none; start the run with --repo DIR (elexirion run) or with a workspaceId`,
  );
}

/** An error named by the contract (a Catch can match it), whichever copy of the class made it. */
function isPipelineError(error: unknown): error is Error & { readonly name: ErrorName } {
  return error instanceof Error && (Object.values(ErrorName) as string[]).includes(error.name);
}

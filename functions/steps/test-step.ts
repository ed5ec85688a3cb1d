import { ErrorName } from '../../pipelines/contract/errors.js';
import type { TestStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { DataStepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { ElexirionError } from '../shared/errors.js';
import { iterationOf } from '../shared/iteration.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import { type TestOutcome, TestOutcomeSchema, taskIdOf } from '../test-runner/outcome.js';
import type { TestRunResult } from '../test-runner/run-tests.js';
import { storeDataStepAttempt } from './data-step-result.js';

/** A test step's result, as conditions and templates read it (`steps.verify.passed`). */
export type TestResult = TestRunResult & {
  /** S3 key of the attempt's whole log (the last MiB of output). */
  readonly log: string;
};

/**
 * The step runner's half of a `test` step, after the test-runner task has stopped: reads the
 * outcome the task uploaded (named by the task's ARN, which the state keeps under the step's name),
 * files its log beside the attempt, and stores the result as the attempt's artifact. A failing test
 * run is a result (the step succeeds with `passed: false`); with `required: true` the result is
 * stored, then the step fails with `Test.Failed` and the counts. A task that could not run the
 * command fails the step with the error it named (`Workspace.Invalid`, …).
 */
export async function runTestResultStep(
  event: StepRunnerEvent,
  spec: TestStepSpec,
  deps: StepRunnerDeps,
): Promise<DataStepRef> {
  const { tenantId, runId } = event.run;
  const keys = artifactKeys.testRun(tenantId, runId, event.stepId, taskIdIn(event));
  const outcome = await readOutcome(keys.outcome, deps);
  if ('error' in outcome) throw namedError(outcome.error);
  const iteration = iterationOf(event.loop);
  const attempt = await deps.runs.nextAttempt(tenantId, runId, event.stepId, iteration);
  const log = artifactKeys.attemptFile(tenantId, runId, event.stepId, attempt, iteration, 'log');
  await deps.artifacts.copy(keys.log, log);
  const result: TestResult = { ...outcome.result, log };
  const ref = await storeDataStepAttempt(event, 'test', attempt, result, deps);
  if (spec.required && !result.passed) {
    throw new ElexirionError(ErrorName.TestFailed, failureMessage(event.stepId, result, spec.timeoutSeconds));
  }
  return ref;
}

/** The id of the task the step's runTask state ran, from what it left under the step's name. */
function taskIdIn(event: StepRunnerEvent): string {
  // Step names hold no dots, so the last segment of a scoped id is the name the state uses.
  const name = event.stepId.slice(event.stepId.lastIndexOf('.') + 1);
  const entry = event.steps[name] as { readonly taskArn?: unknown } | undefined;
  const taskId = taskIdOf(entry?.taskArn);
  if (taskId === undefined) {
    throw new Error(
      `internal: test step "${event.stepId}" found no test-runner task ARN at steps.${name} (found ${JSON.stringify(entry)}); its runTask state runs first`,
    );
  }
  return taskId;
}

async function readOutcome(key: string, deps: Pick<StepRunnerDeps, 'artifacts'>): Promise<TestOutcome> {
  try {
    return TestOutcomeSchema.parse(await deps.artifacts.getJson(key));
  } catch (error) {
    if ((error as Error).name !== 'NoSuchKey') throw error;
    throw new Error(`the test-runner task stopped without uploading its outcome (${key}); its logs say why`, {
      cause: error,
    });
  }
}

/** The error the task named, as the step's; a name outside the contract is kept in the message. */
function namedError(error: { readonly name: string; readonly message: string }): Error {
  const known = (Object.values(ErrorName) as string[]).includes(error.name);
  if (known) return new ElexirionError(error.name as ErrorName, error.message);
  return new Error(`${error.name}: ${error.message}`);
}

function failureMessage(stepId: string, result: TestResult, timeoutSeconds: number): string {
  const how = result.timed_out
    ? `timed out after ${timeoutSeconds} s`
    : `exited with code ${result.exit_code ?? 'none (killed)'}`;
  const counts = result.summary
    ? `: ${result.summary.failed} failed, ${result.summary.passed} passed, ${result.summary.skipped} skipped`
    : '';
  return `test step "${stepId}" is required and its command ${how}${counts}; the output is in ${result.log}`;
}

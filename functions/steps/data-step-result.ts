import type { DataStepRef, Iteration, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import type { AttemptRecords } from '../ports/attempts.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { iterationField, iterationOf } from '../shared/iteration.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import type { StepOutput } from '../step-runner/step-output.js';

/** The kinds of step whose result {@link storeDataStepResult} stores. */
export type DataStepKind = DataStepRef['kind'];

/** The artifact of a data step: its result, in the `response` shape templates read for every step. */
export interface DataStepArtifact {
  readonly stepId: string;
  readonly kind: DataStepKind;
  /** Inside a loop body: the iteration, within which `attempt` counts. */
  readonly iteration?: Iteration;
  readonly attempt: number;
  readonly response: StepOutput;
}

/**
 * A data step's result as templates read it: `data` is the result, `text` its JSON. The same function
 * serves results stored in S3 and results a Pass state left in the state, so both read alike.
 */
export function dataStepOutput(data: unknown): StepOutput {
  return { text: typeof data === 'string' ? data : JSON.stringify(data), data };
}

/**
 * Stores a data step's result as the attempt's artifact and returns the reference the state keeps.
 * The attempt number comes from the run store's counter (one per iteration, inside a loop body), so
 * a retried step never overwrites the artifact an earlier attempt left.
 */
export async function storeDataStepResult(
  event: StepRunnerEvent,
  kind: DataStepKind,
  data: unknown,
  deps: Pick<StepRunnerDeps, 'artifacts'> & { readonly runs: AttemptRecords },
): Promise<DataStepRef> {
  const attempt = await deps.runs.nextAttempt(
    event.run.tenantId,
    event.run.runId,
    event.stepId,
    iterationOf(event.loop),
  );
  return storeDataStepAttempt(event, kind, attempt, data, deps);
}

/**
 * Stores a data step's result as the artifact of `attempt`, a number taken from the run store's
 * counter by a step that files more than its result under the attempt (a test step's log).
 */
export async function storeDataStepAttempt(
  event: StepRunnerEvent,
  kind: DataStepKind,
  attempt: number,
  data: unknown,
  deps: Pick<StepRunnerDeps, 'artifacts'>,
): Promise<DataStepRef> {
  const { tenantId, runId } = event.run;
  const iteration = iterationOf(event.loop);
  const artifact: DataStepArtifact = {
    stepId: event.stepId,
    kind,
    ...iterationField(iteration),
    attempt,
    response: dataStepOutput(data),
  };
  const stored = await deps.artifacts.putJson(
    artifactKeys.attempt(tenantId, runId, event.stepId, attempt, iteration),
    artifact,
  );
  return { stepId: event.stepId, status: 'SUCCEEDED', kind, attempt, degraded: false, artifact: stored };
}

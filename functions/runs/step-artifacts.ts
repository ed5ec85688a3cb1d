import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { StepArtifact } from '../../pipelines/contract/step-event.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { AttemptRecords } from '../ports/attempts.js';
import type { RunRecords } from '../ports/runs.js';
import { RequestError } from '../shared/request-error.js';
import { requireRun } from './run-lookup.js';
import { llmStepNames } from './step-reports.js';

/** What reading an artifact needs. */
export interface ArtifactReaderDeps {
  readonly runs: RunRecords & AttemptRecords;
  readonly artifacts: ArtifactStore;
  readonly loadBundle: (key: string) => Promise<SpecBundle>;
}

/**
 * The artifact of one attempt of a step of a tenant's run: the given attempt, or the latest that
 * succeeded. RUN_NOT_FOUND, STEP_NOT_FOUND (naming the run's steps) or ARTIFACT_NOT_FOUND otherwise.
 *
 * @example
 * const artifact = await readStepArtifact({ tenantId: 'acme', runId, stepId: 'outline' }, deps);
 */
export async function readStepArtifact(
  request: {
    readonly tenantId: string;
    readonly runId: string;
    readonly stepId: string;
    readonly attempt?: number;
  },
  deps: ArtifactReaderDeps,
): Promise<StepArtifact> {
  const { tenantId, runId, stepId } = request;
  const run = await requireRun(deps.runs, tenantId, runId);
  const steps = llmStepNames(await deps.loadBundle(run.bundleKey));
  if (!steps.includes(stepId)) {
    throw new RequestError('STEP_NOT_FOUND', `run ${runId} has no step "${stepId}"`, [
      { field: 'stepId', message: `steps with artifacts: ${steps.join(', ')}` },
    ]);
  }
  const attempts = (await deps.runs.listAttempts(tenantId, runId)).filter((a) => a.stepId === stepId);
  const chosen =
    request.attempt === undefined
      ? attempts.filter((a) => a.status === 'SUCCEEDED').at(-1)
      : attempts.find((a) => a.attempt === request.attempt);
  if (chosen?.artifactKey === undefined) {
    const which =
      request.attempt === undefined ? 'no successful attempt' : `no artifact for attempt ${request.attempt}`;
    throw new RequestError('ARTIFACT_NOT_FOUND', `step "${stepId}" of run ${runId} has ${which}`, [
      {
        field: request.attempt === undefined ? 'stepId' : 'attempt',
        message: `attempts so far: ${attempts.map((a) => `${a.attempt} ${a.status}`).join(', ') || 'none'}`,
      },
    ]);
  }
  return deps.artifacts.getJson<StepArtifact>(chosen.artifactKey);
}

import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import type { RunRecord } from '../functions/ports/runs.js';
import { artifactKeys } from '../functions/shared/artifact-keys.js';
import type { DataStepArtifact } from '../functions/steps/data-step-result.js';
import type { SpecBundle } from '../pipelines/contract/spec-bundle.js';
import { DATA_STEP_KINDS } from '../pipelines/contract/step-event.js';

/**
 * `STEP/ATTEMPT.json` under a run's `steps/`: an attempt's artifact (not a batch manifest or result,
 * nor the attempt of one iteration of a loop body, filed under `STEP/iteration-…/`).
 */
const ATTEMPT_ARTIFACT = /^([^/]+)\/(\d+)\.json$/;

/**
 * The results of a run's data steps (data_transform, file_ops, nested pipelines, and test_echo
 * steps the step runner evaluated), in pipeline order: the result of each step's latest attempt.
 * Steps of nested pipelines (`report.draft`) are left out: their results reach the run through the
 * nesting step's declared outputs; so are steps of loop bodies, whose results are in their loop's. A
 * test_echo computed by a Pass state stores no artifact.
 */
export async function dataStepOutputs(
  run: RunRecord,
  bundle: SpecBundle,
  artifacts: ArtifactStore,
): Promise<Record<string, unknown>> {
  const kinds: readonly string[] = DATA_STEP_KINDS;
  const prefix = `${artifactKeys.runPrefix(run.tenantId, run.runId)}steps/`;
  const latest = new Map<string, { attempt: number; key: string }>();
  for (const key of await artifacts.list(prefix)) {
    const match = ATTEMPT_ARTIFACT.exec(key.slice(prefix.length));
    const [stepId = '', attempt = '0'] = match?.slice(1) ?? [];
    const spec = bundle.steps[stepId];
    if (!match || stepId.includes('.') || !spec || !kinds.includes(spec.kind)) continue;
    if (Number(attempt) > (latest.get(stepId)?.attempt ?? 0))
      latest.set(stepId, { attempt: Number(attempt), key });
  }
  const outputs: Record<string, unknown> = {};
  for (const stepId of Object.keys(bundle.steps)) {
    const found = latest.get(stepId);
    if (found) outputs[stepId] = (await artifacts.getJson<DataStepArtifact>(found.key)).response.data;
  }
  return outputs;
}

import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { StepArtifact } from '../../pipelines/contract/step-event.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { AttemptRecord } from '../ports/attempts.js';
import type { RunRecord } from '../ports/runs.js';
import type { ScoreRecords } from '../ports/scores.js';
import { iterationField } from '../shared/iteration.js';
import type { Verdict } from './check-answer.js';

/** What scoring a finished run reads and writes. */
export interface RunScoringDeps {
  readonly artifacts: ArtifactStore;
  readonly runs: ScoreRecords;
  readonly now: () => Date;
}

/**
 * Scores the `step_succeeded` evaluators of a finished run: each scores the step's last good attempt 1
 * when the later step succeeded (with its `field` true, when named) and 0 when it failed, was only
 * answered by a fallback, or its field is not true. A later step that never ran gives no score.
 *
 * @example
 * await scoreRunOutcome(finishedRun, await runs.listAttempts(tenantId, runId), deps);
 */
export async function scoreRunOutcome(
  run: RunRecord,
  attempts: readonly AttemptRecord[],
  deps: RunScoringDeps,
): Promise<void> {
  // Only a step with a good attempt can be scored: a run without one needs no bundle read.
  if (!attempts.some((a) => a.status === 'SUCCEEDED')) return;
  const bundle = await deps.artifacts.getJson<SpecBundle>(run.bundleKey);
  const createdAt = deps.now().toISOString();
  const writes: Promise<void>[] = [];
  for (const [stepId, spec] of Object.entries(bundle.steps)) {
    if (spec.kind !== 'llm') continue;
    for (const evaluator of spec.evaluators ?? []) {
      if (evaluator.kind !== 'step_succeeded') continue;
      const scored = lastGood(attempts, stepId);
      const verdict =
        scored &&
        (await laterOutcome(attempts, siblingId(stepId, evaluator.step), evaluator.field, deps.artifacts));
      if (!scored || !verdict) continue;
      writes.push(
        deps.runs.putScore({
          tenantId: run.tenantId,
          runId: run.runId,
          stepId,
          ...iterationField(scored.iteration),
          attempt: scored.attempt,
          evaluator: evaluator.name,
          kind: evaluator.kind,
          promptVersion: scored.promptVersion,
          createdAt,
          ...verdict,
        }),
      );
    }
  }
  await Promise.all(writes);
}

function lastGood(attempts: readonly AttemptRecord[], stepId: string): AttemptRecord | undefined {
  return attempts.filter((a) => a.stepId === stepId && a.status === 'SUCCEEDED' && !a.degraded).at(-1);
}

/** A later step named from inside a nested pipeline is its sibling: same scope prefix. */
function siblingId(stepId: string, name: string): string {
  const dot = stepId.lastIndexOf('.');
  return dot === -1 ? name : `${stepId.slice(0, dot + 1)}${name}`;
}

async function laterOutcome(
  attempts: readonly AttemptRecord[],
  stepId: string,
  field: string | undefined,
  artifacts: ArtifactStore,
): Promise<Verdict | undefined> {
  const ran = attempts.filter((a) => a.stepId === stepId);
  if (ran.length === 0) return undefined;
  const good = lastGood(ran, stepId);
  if (!good)
    return {
      score: 0,
      detail: `step ${stepId} ${ran.some((a) => a.degraded) ? 'was answered by a fallback' : 'failed'}`,
    };
  if (field === undefined) return { score: 1 };
  if (good.artifactKey === undefined) return { score: 0, detail: `step ${stepId} stored no answer` };
  const { response } = await artifacts.getJson<StepArtifact>(good.artifactKey);
  const value = (response.data as Record<string, unknown> | undefined)?.[field];
  return value === true
    ? { score: 1 }
    : { score: 0, detail: `${stepId}.${field} is ${JSON.stringify(value) ?? 'missing'}` };
}

import { randomUUID } from 'node:crypto';
import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { AttemptRecords } from '../ports/attempts.js';
import type { FeedbackRecord, FeedbackRecords } from '../ports/feedback.js';
import type { RunRecords } from '../ports/runs.js';
import { RequestError } from '../shared/request-error.js';
import { requireRun } from './run-lookup.js';
import { llmStepNames } from './step-reports.js';

/** What recording feedback needs. */
export interface FeedbackDeps {
  readonly runs: RunRecords & AttemptRecords & FeedbackRecords;
  readonly loadBundle: (key: string) => Promise<SpecBundle>;
  readonly now: () => Date;
}

/** A score for a run, or for one of its steps. */
export interface FeedbackRequest {
  readonly tenantId: string;
  readonly runId: string;
  /** From 0 (bad) to 1 (good). */
  readonly score: number;
  readonly stepId?: string;
  readonly comment?: string;
}

/**
 * Stores a score for the optimizer. A step's score records the prompt version of the step's
 * successful attempt, so it counts for the prompt that produced the output. RUN_NOT_FOUND for
 * another tenant's run, UNKNOWN_STEP for a step the run does not have.
 *
 * @example
 * await recordFeedback({ tenantId: 'acme', runId, score: 0.9, stepId: 'review' }, deps);
 */
export async function recordFeedback(request: FeedbackRequest, deps: FeedbackDeps): Promise<FeedbackRecord> {
  const { tenantId, runId, stepId } = request;
  const run = await requireRun(deps.runs, tenantId, runId);
  let promptVersion: string | undefined;
  if (stepId !== undefined) {
    const steps = llmStepNames(await deps.loadBundle(run.bundleKey));
    if (!steps.includes(stepId)) {
      throw new RequestError('UNKNOWN_STEP', `run ${runId} has no step "${stepId}" to score`, [
        { field: 'stepId', message: `name one of ${steps.join(', ')}, or leave stepId out to score the run` },
      ]);
    }
    promptVersion = (await deps.runs.listAttempts(tenantId, runId))
      .filter((a) => a.stepId === stepId && a.status === 'SUCCEEDED')
      .at(-1)?.promptVersion;
  }
  const feedback: FeedbackRecord = {
    tenantId,
    runId,
    feedbackId: randomUUID(),
    score: request.score,
    ...(stepId === undefined ? {} : { stepId }),
    ...(promptVersion === undefined ? {} : { promptVersion }),
    ...(request.comment === undefined ? {} : { comment: request.comment }),
    createdAt: deps.now().toISOString(),
  };
  await deps.runs.putFeedback(feedback);
  return feedback;
}

import type { LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { StepArtifact, StepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import type { AttemptRecords } from '../ports/attempts.js';
import type { RunRecords } from '../ports/runs.js';
import { FallbackUnavailableError } from '../shared/errors.js';
import {
  degradationOf,
  recordFailedAttempt,
  recordSucceededAttempt,
  startAttempt,
} from '../steps/attempt-record.js';
import type { StepRunnerDeps } from './deps.js';
import { exposedFields } from './exposed-fields.js';

/**
 * The `claude_robust` fallbacks that call no model (reference §5.9). Each answers with a result
 * marked degraded, with its reason and the original error, never a clean success (defect 14).
 */

/** The fallbacks that call no model. */
export type StoreOnlyFallback = 'graceful_degradation' | 'emergency_response' | 'use_cached_response';

/** How many of the pipeline's latest runs `use_cached_response` looks through. */
const CACHE_LOOKBACK_RUNS = 20;

const NO_USAGE = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } as const;

/**
 * Answers a failed step without a model:
 * - `graceful_degradation`: a short notice that the step has no answer, naming the error;
 * - `emergency_response`: a notice that the service is unavailable;
 * - `use_cached_response`: the answer of this step's latest clean success in an earlier run of the
 *   same pipeline and tenant (its text and JSON); with none, the attempt fails with
 *   `Fallback.Unavailable`, and the chain goes on to the next fallback, if any.
 */
export async function answerWithoutModel(
  event: StepRunnerEvent,
  spec: LlmStepSpec & { readonly hash: string },
  deps: StepRunnerDeps,
  action: StoreOnlyFallback,
): Promise<StepRef> {
  const provider = deps.providerFor(spec.family).name;
  const context = await startAttempt(event, spec, deps, provider);
  const degradation = degradationOf(event, action);
  const request = { prompt: '' };
  if (action !== 'use_cached_response') {
    return recordSucceededAttempt(context, {
      model: 'none',
      artifact: { request, response: { text: noticeText(action, event) }, usage: NO_USAGE, costUsd: 0 },
      usage: NO_USAGE,
      costUsd: 0,
      priced: true,
      degraded: degradation,
    });
  }
  const cached = await findCachedResponse(event, deps);
  if (cached === undefined) {
    const error = new FallbackUnavailableError(
      `no earlier run of pipeline ${event.run.pipeline} has a clean answer of step "${event.stepId}" to reuse; ` +
        'add another fallback after use_cached_response, e.g. fallback_action: [use_cached_response, graceful_degradation]',
    );
    await recordFailedAttempt(context, 'none', error);
    throw error;
  }
  const fields = exposedFields(spec, cached.artifact.response.data);
  return recordSucceededAttempt(context, {
    model: cached.artifact.model,
    artifact: {
      request,
      response: {
        text: cached.artifact.response.text,
        ...(cached.artifact.response.data === undefined ? {} : { data: cached.artifact.response.data }),
      },
      usage: NO_USAGE,
      costUsd: 0,
    },
    usage: NO_USAGE,
    costUsd: 0,
    priced: true,
    degraded: { ...degradation, cachedFrom: cached.key },
    ...(fields === undefined ? {} : { fields }),
  });
}

/**
 * The artifact of the latest clean (succeeded, not degraded) attempt of this step in the latest
 * runs of the same pipeline and tenant, this run excepted.
 */
export async function findCachedResponse(
  event: StepRunnerEvent,
  deps: Pick<StepRunnerDeps, 'artifacts'> & { readonly runs: RunRecords & AttemptRecords },
): Promise<{ readonly key: string; readonly artifact: StepArtifact } | undefined> {
  const { tenantId, runId, pipeline } = event.run;
  const { runs } = await deps.runs.listRuns(tenantId, { limit: CACHE_LOOKBACK_RUNS + 1, pipeline });
  for (const run of runs) {
    if (run.runId === runId) continue;
    const attempts = await deps.runs.listAttempts(tenantId, run.runId);
    const clean = attempts
      .filter((a) => a.stepId === event.stepId && a.status === 'SUCCEEDED' && !a.degraded && a.artifactKey)
      .at(-1);
    if (clean?.artifactKey !== undefined) {
      return {
        key: clean.artifactKey,
        artifact: await deps.artifacts.getJson<StepArtifact>(clean.artifactKey),
      };
    }
  }
  return undefined;
}

function noticeText(action: 'graceful_degradation' | 'emergency_response', event: StepRunnerEvent): string {
  const error = event.recovery?.Error ?? 'an error';
  return action === 'graceful_degradation'
    ? `[degraded] Step ${event.stepId} has no answer: it failed with ${error}.`
    : `[emergency response] Step ${event.stepId} failed with ${error}; the service is unavailable, try again later.`;
}

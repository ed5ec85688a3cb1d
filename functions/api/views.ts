import type { AttemptRecord } from '../ports/attempts.js';
import type { RunRecord } from '../ports/runs.js';
import type { StepReport } from '../runs/step-reports.js';

/** A run as the API shows it: no tenant, no storage keys, no ARNs. */
export function runView(run: RunRecord) {
  return {
    runId: run.runId,
    pipeline: run.pipeline,
    status: run.status,
    startedAt: run.startedAt,
    ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt }),
    inputs: run.inputs,
    redriveCount: run.redriveCount ?? 0,
    ...(run.workspaceId === undefined ? {} : { workspaceId: run.workspaceId }),
    ...(run.error === undefined ? {} : { error: run.error }),
    ...(run.usage === undefined ? {} : { usage: run.usage }),
  };
}

/** An attempt as the API shows it. */
export function attemptView(attempt: AttemptRecord) {
  return {
    attempt: attempt.attempt,
    status: attempt.status,
    provider: attempt.provider,
    model: attempt.model,
    promptVersion: attempt.promptVersion,
    startedAt: attempt.startedAt,
    latencyMs: attempt.latencyMs,
    usage: attempt.usage,
    costUsd: attempt.costUsd,
    priced: attempt.priced,
    ...(attempt.error === undefined ? {} : { error: attempt.error }),
    ...(attempt.degraded
      ? { degraded: true, degradedReason: attempt.degradedReason, originalError: attempt.originalError }
      : {}),
  };
}

/** A step as the API shows it: its status, whether a fallback answered, and every attempt. */
export function stepView(step: StepReport) {
  return {
    stepId: step.name,
    status: step.status,
    degraded: step.degraded,
    ...(step.degradedReason === undefined ? {} : { degradedReason: step.degradedReason }),
    ...(step.originalError === undefined ? {} : { originalError: step.originalError }),
    attempts: step.attemptRecords.map(attemptView),
  };
}

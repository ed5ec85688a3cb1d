import type { SpecBundle } from '../../statemachines/types.js';
import type { AttemptRecord } from './ports/run-store.js';

/** How one step of a run went. */
export interface StepReport {
  readonly name: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'NOT_RUN';
  readonly attempts: number;
  /** True when a fallback answered instead of the step's own call (see `degradedReason`). */
  readonly degraded: boolean;
  /** Which fallback answered, and the error that sent the step there, when degraded. */
  readonly degradedReason?: string;
  readonly originalError?: string;
  readonly attemptRecords: readonly AttemptRecord[];
}

/** The LLM steps of a bundle (batch steps and their tasks included) in pipeline order. */
export function llmStepNames(bundle: SpecBundle): string[] {
  return Object.entries(bundle.steps).flatMap(([name, spec]) =>
    spec.kind === 'llm' || spec.kind === 'batch' ? [name] : [],
  );
}

/**
 * Each LLM step of a run with its attempts: SUCCEEDED once an attempt succeeded, FAILED when it
 * has only failed attempts, NOT_RUN when it has none yet; degraded as its answering attempt was.
 */
export function stepReports(bundle: SpecBundle, attempts: readonly AttemptRecord[]): StepReport[] {
  return llmStepNames(bundle).map((name) => {
    const own = attempts.filter((a) => a.stepId === name);
    const status = own.some((a) => a.status === 'SUCCEEDED')
      ? 'SUCCEEDED'
      : own.length
        ? 'FAILED'
        : 'NOT_RUN';
    const answered = own.filter((a) => a.status === 'SUCCEEDED').at(-1);
    const degraded = answered?.degraded === true;
    return {
      name,
      status,
      attempts: own.length,
      degraded,
      ...(degraded && answered?.degradedReason ? { degradedReason: answered.degradedReason } : {}),
      ...(degraded && answered?.originalError ? { originalError: answered.originalError } : {}),
      attemptRecords: own,
    };
  });
}

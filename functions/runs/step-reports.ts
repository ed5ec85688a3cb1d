import type { CallBudgetSpec, SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import { MODEL_FREE_FALLBACK_ACTIONS } from '../../pipelines/contract/step-options.js';
import type { AttemptRecord } from '../ports/attempts.js';
import { answeredStep } from '../shared/attempt-outcome.js';
import { iterationSuffix } from '../shared/iteration.js';

/** How one step of a run went. */
export interface StepReport {
  readonly name: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'NOT_RUN';
  /** The attempts one run of the step took: inside a loop body, the most any iteration took. */
  readonly attempts: number;
  /** Inside a loop body: how many iterations ran the step (each with attempts of its own). */
  readonly iterations?: number;
  /** Why a SKIPPED step did not run (`condition not met: …`). */
  readonly reason?: string;
  /** True when a fallback answered instead of the step's own call (see `degradedReason`). */
  readonly degraded: boolean;
  /** Which fallback answered, and the error that sent the step there, when degraded. */
  readonly degradedReason?: string;
  readonly originalError?: string;
  /** A `claude_robust` step's call budget, as compiled (see `CallBudgetSpec`). */
  readonly callBudget?: CallBudgetSpec;
  /**
   * With `callBudget`: the provider calls one run of the step made (inside a loop body, the most any
   * iteration made); the fallbacks that call no model are not counted.
   */
  readonly providerCalls?: number;
  /** Every attempt, by iteration (inside a loop body), then attempt. */
  readonly attemptRecords: readonly AttemptRecord[];
}

/**
 * Whether an attempt called a provider: every attempt does but those of the fallbacks that answer
 * without a model (recorded with model `none`, or, for a reused answer, degraded as
 * `use_cached_response`).
 */
export function calledProvider(attempt: AttemptRecord): boolean {
  if (attempt.model === 'none') return false;
  const reason = attempt.degradedReason;
  return !(reason !== undefined && (MODEL_FREE_FALLBACK_ACTIONS as readonly string[]).includes(reason));
}

/** The LLM steps of a bundle (batch steps and their tasks included) in pipeline order. */
export function llmStepNames(bundle: SpecBundle): string[] {
  return Object.entries(bundle.steps).flatMap(([name, spec]) =>
    spec.kind === 'llm' || spec.kind === 'batch' ? [name] : [],
  );
}

/**
 * Each LLM step of a run with its attempts, counted per iteration inside a loop body: SUCCEEDED once
 * an attempt succeeded (in every iteration that ran it), FAILED when it (or one iteration of it) has
 * only failed attempts; without attempts, SKIPPED when `results` (the run's final `steps` map, once
 * it ended) holds its skip record `{skipped: true, reason}`, NOT_RUN otherwise. Degraded as its
 * answering attempt was (the last degraded one, across iterations).
 */
export function stepReports(
  bundle: SpecBundle,
  attempts: readonly AttemptRecord[],
  results: Readonly<Record<string, unknown>> = {},
): StepReport[] {
  return llmStepNames(bundle).map((name) => {
    const own = attempts.filter((a) => a.stepId === name);
    const runs = Map.groupBy(own, (a) => iterationSuffix(a.iteration));
    const answers = [...runs.values()].flatMap((run) => run.filter(answeredStep).slice(-1));
    const reason = own.length === 0 ? skipReason(results[name]) : undefined;
    const status =
      own.length === 0
        ? reason === undefined
          ? 'NOT_RUN'
          : 'SKIPPED'
        : answers.length === runs.size
          ? 'SUCCEEDED'
          : 'FAILED';
    const degraded = answers.filter((a) => a.degraded === true).at(-1);
    const spec = bundle.steps[name];
    const callBudget = spec?.kind === 'llm' ? spec.callBudget : undefined;
    return {
      name,
      status,
      attempts: Math.max(0, ...[...runs.values()].map((run) => run.length)),
      ...(own.some((a) => a.iteration !== undefined) ? { iterations: runs.size } : {}),
      ...(reason === undefined ? {} : { reason }),
      degraded: degraded !== undefined,
      ...(degraded?.degradedReason ? { degradedReason: degraded.degradedReason } : {}),
      ...(degraded?.originalError ? { originalError: degraded.originalError } : {}),
      ...(callBudget === undefined
        ? {}
        : {
            callBudget,
            providerCalls: Math.max(0, ...[...runs.values()].map((run) => run.filter(calledProvider).length)),
          }),
      attemptRecords: own,
    };
  });
}

/** The reason of a skipped step's result, `{skipped: true, reason}`; undefined for any other value. */
function skipReason(result: unknown): string | undefined {
  const { skipped, reason } = (result ?? {}) as { skipped?: unknown; reason?: unknown };
  return skipped === true && typeof reason === 'string' ? reason : undefined;
}

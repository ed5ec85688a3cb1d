import type { EvaluatorSpec } from '../../pipelines/contract/learning-spec.js';
import type { Iteration } from '../../pipelines/contract/step-event.js';
import type { TokenUsage } from './provider.js';

/** An evaluator's score of one attempt (`evaluators:` in the pipeline); the optimizer reads these. */
export interface ScoreRecord {
  readonly tenantId: string;
  readonly runId: string;
  readonly stepId: string;
  /** The iteration of the attempt scored, inside a loop body. */
  readonly iteration?: Iteration;
  readonly attempt: number;
  /** The evaluator's name, unique among the step's evaluators. */
  readonly evaluator: string;
  readonly kind: EvaluatorSpec['kind'];
  /** From 0 (bad) to 1 (good). */
  readonly score: number;
  /** The prompt version of the attempt scored (`spec:…` or a prompt pack's `pack:…`). */
  readonly promptVersion: string;
  /** Why, in a few words: the check that failed, the judge's reason, the later step's outcome. */
  readonly detail?: string;
  /** The model call an `llm_judge` made. */
  readonly judge?: { readonly model: string; readonly usage: TokenUsage; readonly costUsd: number };
  readonly createdAt: string;
}

/**
 * The scores a pipeline's evaluators give step attempts (part of the `RunStore`); what people score
 * through the API is in `FeedbackRecords`.
 *
 * @example
 * const scores = await store.listScores('acme', runId);
 */
export interface ScoreRecords {
  /** Stores an evaluator's score of an attempt; scoring the same attempt with the same evaluator again replaces it. */
  putScore(score: ScoreRecord): Promise<void>;
  /** A run's scores, by step, attempt and evaluator. */
  listScores(tenantId: string, runId: string): Promise<ScoreRecord[]>;
}

/** A score given to a run, or to one step of it, through the feedback API; the optimizer reads these. */
export interface FeedbackRecord {
  readonly tenantId: string;
  readonly runId: string;
  readonly feedbackId: string;
  /** From 0 (bad) to 1 (good). */
  readonly score: number;
  readonly stepId?: string;
  /** The prompt version of the scored step's successful attempt. */
  readonly promptVersion?: string;
  readonly comment?: string;
  readonly createdAt: string;
}

/**
 * The feedback people give runs through the API (part of the `RunStore`); what evaluators score is in
 * `ScoreRecords`.
 *
 * @example
 * await feedback.putFeedback({ tenantId: 'acme', runId, feedbackId, score: 0.9, createdAt });
 */
export interface FeedbackRecords {
  putFeedback(feedback: FeedbackRecord): Promise<void>;
  /** A run's feedback, oldest first. */
  listFeedback(tenantId: string, runId: string): Promise<FeedbackRecord[]>;
}

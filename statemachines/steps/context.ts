import type { Pipeline, PipelineIssue } from '../../pipelines/types.js';
import type { AslObject, StepSpec } from '../types.js';

/** What a step emitter reads: the pipeline, where the step sits, and a place to report problems. */
export interface EmitContext {
  readonly pipeline: Pipeline;
  /** Index of the step in `workflow.steps`, for issue paths. */
  readonly index: number;
  /** Global variables that exist when this step runs (declared, or set by an earlier step). */
  readonly knownGlobalVars: ReadonlySet<string>;
  /** The state that follows, or undefined for the last step. */
  readonly next: string | undefined;
  report(issue: Omit<PipelineIssue, 'severity' | 'range'> & Partial<Pick<PipelineIssue, 'range'>>): void;
}

/** What a step emitter returns: its state and, when the step runner must act, the spec it reads. */
export interface EmittedStep {
  readonly state: AslObject;
  readonly spec?: StepSpec;
}

/** `Next` or `End`, whichever ends this state. */
export function transition(next: string | undefined): AslObject {
  return next === undefined ? { End: true } : { Next: next };
}

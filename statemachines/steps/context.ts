import type { Step } from '../../pipelines/schema.js';
import type { Pipeline, PipelineIssue } from '../../pipelines/types.js';
import type { AslObject, StepSpec } from '../types.js';

/** A problem an emitter reports; the compiler adds severity and, when missing, an empty range. */
export type ReportedIssue = Omit<PipelineIssue, 'severity' | 'range'> & Partial<Pick<PipelineIssue, 'range'>>;

/** What a step emitter reads: the pipeline, where the step sits, and a place to report problems. */
export interface EmitContext {
  readonly pipeline: Pipeline;
  /** Field path of the step in the file, e.g. `['workflow', 'steps', 2]`, for issue paths. */
  readonly path: readonly (string | number)[];
  /** Global variables that exist when this step runs (declared, or set by an earlier step). */
  readonly knownGlobalVars: ReadonlySet<string>;
  /** The state that follows this step, or undefined when the step ends its sequence. */
  readonly next: string | undefined;
  report(issue: ReportedIssue): void;
  /**
   * Compiles a nested list of steps (a loop body, a branch) into a sub-graph that continues at
   * `next`. Passed in rather than imported, so step modules never import the dispatcher.
   */
  emitSequence(steps: readonly Step[], options: SequenceOptions): EmittedStep;
}

/** Where a nested sequence sits and what follows it. */
export interface SequenceOptions {
  /** Field path of the step list, e.g. `['workflow', 'steps', 2, 'steps']`. */
  readonly path: readonly (string | number)[];
  readonly knownGlobalVars: ReadonlySet<string>;
  /** The state after the sequence; undefined ends the enclosing state machine or branch. */
  readonly next: string | undefined;
}

/**
 * What a step emitter returns: a sub-graph of states entered at `startAt` (usually the step's name;
 * a step may add fallback or helper states), and the specs the step runner reads for it.
 */
export interface EmittedStep {
  readonly startAt: string;
  readonly states: AslObject;
  readonly specs: Readonly<Record<string, StepSpec>>;
}

/** An emitted step made of one state named after the step. */
export function singleState(name: string, state: AslObject, spec?: StepSpec): EmittedStep {
  return { startAt: name, states: { [name]: state }, specs: spec ? { [name]: spec } : {} };
}

/** `Next` or `End`, whichever ends this state. */
export function transition(next: string | undefined): AslObject {
  return next === undefined ? { End: true } : { Next: next };
}

import type { AslObject, ChildStateMachine, StepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { Step } from '../../pipelines/schema.js';
import type { Pipeline, PipelineIssue } from '../../pipelines/types.js';

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
  /**
   * The pipeline the steps belong to, when it is not the enclosing one: a nested pipeline's file has
   * its own defaults and `file` parts.
   */
  readonly pipeline?: Pipeline;
}

/**
 * What a step emitter returns: a sub-graph of states entered at `startAt` (usually the step's name;
 * a step may add fallback or helper states), and the specs the step runner reads for it.
 */
export interface EmittedStep {
  readonly startAt: string;
  readonly states: AslObject;
  readonly specs: Readonly<Record<string, StepSpec>>;
  /**
   * Child state machines the sub-graph starts (nested pipelines), by placeholder. An emitter that
   * wraps a nested sequence passes them on with the specs (see `mergeEmitted`).
   */
  readonly machines?: Readonly<Record<string, ChildStateMachine>>;
}

/**
 * Everything several sub-graphs emit, as one: their states, specs and child state machines. Emitters
 * that compose nested sequences use it so that nothing nested is dropped.
 */
export function mergeEmitted(startAt: string, parts: readonly Omit<EmittedStep, 'startAt'>[]): EmittedStep {
  const states: AslObject = {};
  const specs: Record<string, StepSpec> = {};
  const machines: Record<string, ChildStateMachine> = {};
  for (const part of parts) {
    Object.assign(states, part.states);
    Object.assign(specs, part.specs);
    Object.assign(machines, part.machines);
  }
  return Object.keys(machines).length > 0 ? { startAt, states, specs, machines } : { startAt, states, specs };
}

/** An emitted step made of one state named after the step. */
export function singleState(name: string, state: AslObject, spec?: StepSpec): EmittedStep {
  return { startAt: name, states: { [name]: state }, specs: spec ? { [name]: spec } : {} };
}

/** `Next` or `End`, whichever ends this state. */
export function transition(next: string | undefined): AslObject {
  return next === undefined ? { End: true } : { Next: next };
}

import type { AslObject, StepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { Step } from '../../pipelines/schema.js';
import type { Pipeline, PipelineIssue } from '../../pipelines/types.js';
import type { PipelinePlan } from '../plan.js';

/** A problem an emitter reports; the compiler adds severity and, when missing, an empty range. */
export type ReportedIssue = Omit<PipelineIssue, 'severity' | 'range'> & Partial<Pick<PipelineIssue, 'range'>>;

/** Where emitters put what is not part of their sub-graph. */
export interface EmitSinks {
  report(issue: ReportedIssue): void;
  /** Hands over the definition of a planned child state machine (see `PipelinePlan.nested`). */
  defineMachine(placeholder: string, definition: AslObject): void;
}

/** What a step emitter reads: the pipeline and its plan, where the step sits, and the sinks. */
export interface EmitContext extends EmitSinks {
  readonly pipeline: Pipeline;
  /** The plan of `pipeline` (see `plan.ts`). */
  readonly plan: PipelinePlan;
  /** Field path of the step in the file, e.g. `['workflow', 'steps', 2]`, for issue paths. */
  readonly path: readonly (string | number)[];
  /** Global variables that exist when this step runs (declared, or set by an earlier step). */
  readonly knownGlobalVars: ReadonlySet<string>;
  /** The state that follows this step, or undefined when the step ends its sequence. */
  readonly next: string | undefined;
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
   * The plan of the pipeline the steps belong to, when it is not the enclosing one: a nested
   * pipeline's file has its own defaults and `file` parts.
   */
  readonly plan?: PipelinePlan;
}

/**
 * What a step emitter returns: a sub-graph of states entered at `startAt` (usually the step's name;
 * a step may add fallback or helper states), and the specs the step runner reads for it. Child
 * state machines are not returned: they go to `defineMachine`.
 */
export interface EmittedStep {
  readonly startAt: string;
  readonly states: AslObject;
  readonly specs: Readonly<Record<string, StepSpec>>;
}

/**
 * Everything several sub-graphs emit, as one: their states and specs. Emitters that compose nested
 * sequences use it so that nothing nested is dropped.
 */
export function mergeEmitted(startAt: string, parts: readonly Omit<EmittedStep, 'startAt'>[]): EmittedStep {
  const states: AslObject = {};
  const specs: Record<string, StepSpec> = {};
  for (const part of parts) {
    Object.assign(states, part.states);
    Object.assign(specs, part.specs);
  }
  return { startAt, states, specs };
}

/** An emitted step made of one state named after the step. */
export function singleState(name: string, state: AslObject, spec?: StepSpec): EmittedStep {
  return { startAt: name, states: { [name]: state }, specs: spec ? { [name]: spec } : {} };
}

/** `Next` or `End`, whichever ends this state. */
export function transition(next: string | undefined): AslObject {
  return next === undefined ? { End: true } : { Next: next };
}

import type { Step } from '../pipelines/schema.js';
import type { Pipeline } from '../pipelines/types.js';
import type { EmitContext, EmittedStep, SequenceOptions } from './steps/context.js';
import { emitStep } from './steps/index.js';
import type { AslObject, StepSpec } from './types.js';

/**
 * Compiles a list of steps into one sub-graph: each step continues at the next step's entry state,
 * the last one at `options.next`. Variables set by a step are known to the steps after it.
 */
export function emitSequence(
  pipeline: Pipeline,
  steps: readonly Step[],
  options: SequenceOptions,
  report: EmitContext['report'],
): EmittedStep {
  const known = new Set(options.knownGlobalVars);
  const states: AslObject = {};
  const specs: Record<string, StepSpec> = {};
  // Emitted last to first: a step's `next` is the entry state of the step after it.
  let next = options.next;
  const emitted: EmittedStep[] = [];
  const knownBefore = steps.map((step) => {
    const snapshot = new Set(known);
    if (step.type === 'set_variable') for (const name of Object.keys(step.variables)) known.add(name);
    return snapshot;
  });
  for (let index = steps.length - 1; index >= 0; index--) {
    const step = steps[index] as Step;
    const ctx: EmitContext = {
      pipeline,
      path: [...options.path, index],
      knownGlobalVars: knownBefore[index] as Set<string>,
      next,
      report,
      emitSequence: (inner, innerOptions) => emitSequence(pipeline, inner, innerOptions, report),
    };
    const result = emitStep(step, ctx);
    emitted.unshift(result);
    next = result.startAt;
  }
  for (const result of emitted) {
    Object.assign(states, result.states);
    Object.assign(specs, result.specs);
  }
  return { startAt: next ?? '', states, specs };
}

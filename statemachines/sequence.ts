import type { Step } from '../pipelines/schema.js';
import type { PipelinePlan } from './plan.js';
import {
  type EmitContext,
  type EmitSinks,
  type EmittedStep,
  mergeEmitted,
  type SequenceOptions,
} from './steps/context.js';
import { emitStep } from './steps/index.js';
import { gateStep } from './steps/step-condition.js';

/**
 * Compiles a list of steps of the pipeline `plan` planned into one sub-graph: each step continues at
 * the next step's entry state, the last one at `options.next`. Variables set by a step are known to
 * the steps after it. A step with a `condition:` is entered through its Choice (see `gateStep`).
 */
export function emitSequence(
  plan: PipelinePlan,
  steps: readonly Step[],
  options: SequenceOptions,
  sinks: EmitSinks,
): EmittedStep {
  const known = new Set(options.knownGlobalVars);
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
      pipeline: plan.pipeline,
      plan,
      path: [...options.path, index],
      knownGlobalVars: knownBefore[index] as Set<string>,
      next,
      report: sinks.report,
      defineMachine: sinks.defineMachine,
      emitSequence: (inner, innerOptions) =>
        emitSequence(innerOptions.plan ?? plan, inner, innerOptions, sinks),
    };
    const result = gateStep(step, emitStep(step, ctx), ctx);
    emitted.unshift(result);
    next = result.startAt;
  }
  return mergeEmitted(next ?? '', emitted);
}

import type { Step } from '../../pipelines/schema.js';
import type { EmitContext, EmittedStep } from './context.js';
import { emitLlmStep } from './llm.js';
import { emitSetVariableStep } from './set-variable.js';

/** The one dispatcher from a step's `type` to its emitter; the `never` check makes every type handled. */
export function emitStep(step: Step, ctx: EmitContext): EmittedStep {
  switch (step.type) {
    case 'claude':
    case 'gemini':
      return emitLlmStep(step, ctx);
    case 'set_variable':
      return emitSetVariableStep(step, ctx);
    default: {
      const unhandled: never = step;
      throw new Error(`internal: no emitter for step ${JSON.stringify(unhandled)}`);
    }
  }
}

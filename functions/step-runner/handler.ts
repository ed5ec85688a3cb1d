import type { StepRunnerDeps } from './deps.js';
import { StepRunnerEventSchema } from './step-event.js';
import { runStep } from './step-runner.js';

/**
 * The step runner behind any calling convention: checks the Task's input, then runs the step. The
 * Lambda handler and the local executor both call this, so both reject a malformed event alike.
 */
export function handleStepRunnerEvent(event: unknown, deps: StepRunnerDeps): ReturnType<typeof runStep> {
  return runStep(StepRunnerEventSchema.parse(event), deps);
}

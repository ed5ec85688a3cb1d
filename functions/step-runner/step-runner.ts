import type { DataStepRef, StepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { SpecNotFoundError } from '../shared/errors.js';
import { runBatchStep } from '../steps/batch-step.js';
import { runConditionStep } from '../steps/condition-step.js';
import { runDataTransformStep } from '../steps/data-transform-step.js';
import { runFileOpsStep } from '../steps/file-ops-step.js';
import { runLlmStep } from '../steps/llm-step.js';
import { runLoopItemsStep } from '../steps/loop-items-step.js';
import { runPipelineInputsStep, runPipelineOutputsStep } from '../steps/nested-pipeline-step.js';
import { runSetVariableStep } from '../steps/set-variable-step.js';
import { runTestEchoStep } from '../steps/test-echo-step.js';
import { runTestResultStep } from '../steps/test-step.js';
import type { StepRunnerDeps } from './deps.js';

/**
 * Runs one step of one run: an LLM step renders its prompt, calls the provider, stores the artifact
 * and the attempt's metrics, and returns a small reference; a `set_variable` step returns the new
 * variables. Provider failures are recorded, then rethrown with their name intact so the state
 * machine's Retry and Catch see them.
 *
 * @example
 * const ref = await runStep({ stepId: 'plan', run, inputs, global_vars: {}, steps: {} }, deps);
 */
export async function runStep(
  input: StepRunnerEvent,
  deps: StepRunnerDeps,
): Promise<StepRef | DataStepRef | Record<string, unknown>> {
  // A nested pipeline's steps run under its scope: their specs and artifacts are filed as SCOPE.STEP.
  const event = input.run.scope ? { ...input, stepId: `${input.run.scope}.${input.stepId}` } : input;
  const bundle = await deps.loadBundle(event.run.bundleKey);
  const spec = bundle.steps[event.stepId];
  if (!spec) {
    throw new SpecNotFoundError(`spec bundle ${event.run.bundleKey} has no step "${event.stepId}"`);
  }
  switch (spec.kind) {
    case 'llm':
      return runLlmStep(event, spec, deps);
    case 'set_variable':
      return runSetVariableStep(event, spec, deps);
    case 'batch':
      return runBatchStep(event, spec, deps);
    case 'test_echo':
      return runTestEchoStep(event, spec, deps);
    case 'data_transform':
      return runDataTransformStep(event, spec, deps);
    case 'file_ops':
      return runFileOpsStep(event, spec, deps);
    case 'test':
      return runTestResultStep(event, spec, deps);
    case 'pipeline_inputs':
      return runPipelineInputsStep(event, spec, deps);
    case 'pipeline':
      return runPipelineOutputsStep(event, spec, deps);
    case 'condition':
      return runConditionStep(event, spec, deps);
    case 'loop_items':
      return runLoopItemsStep(event, spec, deps);
    default: {
      const unhandled: never = spec;
      throw new Error(`internal: no runner for spec ${JSON.stringify(unhandled)}`);
    }
  }
}

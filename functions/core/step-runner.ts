import type { ModelFamily, SpecBundle } from '../../statemachines/types.js';
import { SpecNotFoundError } from './errors.js';
import type { ArtifactStore } from './ports/artifact-store.js';
import type { Provider } from './ports/provider.js';
import type { RunStore } from './ports/run-store.js';
import type { PromptPackRegistry } from './prompt-packs/pack-registry.js';
import type { DataStepRef, StepRef, StepRunnerEvent } from './step-event.js';
import { runBatchStep } from './steps/batch-step.js';
import { runConditionStep } from './steps/condition-step.js';
import { runDataTransformStep } from './steps/data-transform-step.js';
import { runFileOpsStep } from './steps/file-ops-step.js';
import { runLlmStep } from './steps/llm-step.js';
import { runLoopItemsStep } from './steps/loop-items-step.js';
import { runPipelineInputsStep, runPipelineOutputsStep } from './steps/nested-pipeline-step.js';
import { runSetVariableStep } from './steps/set-variable-step.js';
import { runTestEchoStep } from './steps/test-echo-step.js';

/** What the step runner needs from the outside world; built once per process by `createDeps`. */
export interface StepRunnerDeps {
  readonly artifacts: ArtifactStore;
  readonly runs: RunStore;
  /** The provider that serves a model family in this process (a real one, or the mock). */
  readonly providerFor: (family: ModelFamily) => Provider;
  /** Reads a spec bundle by key; implementations cache, since bundles are content-addressed. */
  readonly loadBundle: (key: string) => Promise<SpecBundle>;
  readonly now: () => Date;
  /** The prompt packs of steps that opt in to optimization; without it they render their own prompt. */
  readonly promptPacks?: PromptPackRegistry;
}

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

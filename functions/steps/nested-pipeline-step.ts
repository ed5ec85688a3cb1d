import { z } from 'zod';
import type {
  PipelineInputsStepSpec,
  PipelineOutputsStepSpec,
} from '../../pipelines/contract/spec-bundle.js';
import type { DataStepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { referencedSteps, TemplateScope } from '../llm/template-scope.js';
import type { AttemptRecords } from '../ports/attempts.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import { StepEntrySchema } from '../step-runner/step-event.js';
import { storeDataStepResult } from './data-step-result.js';

/** What a child pipeline hands back under the nesting step's name: its step results (references). */
const ChildStepsSchema = z.object({ child_steps: z.record(z.string(), StepEntrySchema) });

/**
 * Evaluates a nested pipeline's inputs when some read step outputs or call a function; a value that
 * is one whole template keeps its type. Returns `{inputs}`, which the child execution starts with.
 */
export async function runPipelineInputsStep(
  event: StepRunnerEvent,
  spec: PipelineInputsStepSpec,
  deps: Pick<StepRunnerDeps, 'artifacts'>,
): Promise<{ inputs: Record<string, unknown> }> {
  const scope = await TemplateScope.load(event, referencedSteps(Object.values(spec.inputs)), deps.artifacts);
  return {
    inputs: Object.fromEntries(
      Object.entries(spec.inputs).map(([name, value]) => [name, scope.evaluate(value)]),
    ),
  };
}

/**
 * Builds a nested pipeline step's result from the child's step results: `{OUTPUT: value}` for each
 * declared output, a whole result being the step's JSON (or text), and stores it as the step's result.
 */
export async function runPipelineOutputsStep(
  event: StepRunnerEvent,
  spec: PipelineOutputsStepSpec,
  deps: Pick<StepRunnerDeps, 'artifacts'> & { readonly runs: AttemptRecords },
): Promise<DataStepRef> {
  // Step names hold no dots, so the last segment of a scoped id is the name the state uses.
  const name = event.stepId.split('.').at(-1) ?? event.stepId;
  const { child_steps } = ChildStepsSchema.parse(event.steps[name]);
  const child = { ...event, steps: child_steps };
  const scope = await TemplateScope.load(
    child,
    spec.outputs.map((output) => output.step),
    deps.artifacts,
  );
  const result: Record<string, unknown> = {};
  for (const output of spec.outputs) {
    if (output.path.length > 0) {
      result[output.as] = scope.stepField(output.step, output.path);
    } else {
      const whole = scope.output(output.step);
      const data = whole.data ?? whole.text;
      result[output.as] = output.unwrap && isResult(data) ? data.result : data;
    }
  }
  return storeDataStepResult(event, 'pipeline', result, deps);
}

/** A test_echo's `{result}` (a skipped step's `{skipped, reason}` is not one). */
function isResult(value: unknown): value is { readonly result: unknown } {
  return typeof value === 'object' && value !== null && 'result' in value;
}

import type { DataTransformStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { DataStepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { referencedSteps, TemplateScope } from '../llm/template-scope.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import { applyOperations, dataType } from './data/operations.js';
import { storeDataStepResult } from './data-step-result.js';

/**
 * Runs a `data_transform` step: reads its source (and each join's right source) through the same
 * template scope as every step, applies the operations, and stores `{OUTPUT_FIELD: data, metadata}`.
 * The metadata holds no clock reading, so the same input always yields the same artifact.
 */
export async function runDataTransformStep(
  event: StepRunnerEvent,
  spec: DataTransformStepSpec,
  deps: StepRunnerDeps,
): Promise<DataStepRef> {
  const sources = [
    spec.inputSource,
    ...spec.operations.flatMap((operation) =>
      operation.operation === 'join' ? [operation.right_source] : [],
    ),
  ];
  const scope = await TemplateScope.load(event, referencedSteps(sources), deps.artifacts);
  const input = scope.evaluate(spec.inputSource);
  const output = applyOperations(input, spec.operations, (template) => scope.evaluate(template));
  const result = {
    [spec.outputField]: output,
    metadata: {
      operation_count: spec.operations.length,
      input_type: dataType(input),
      output_type: dataType(output),
    },
  };
  return storeDataStepResult(event, 'data_transform', result, deps);
}

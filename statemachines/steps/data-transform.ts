import type { DataTransformStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { DataOperation } from '../../pipelines/contract/step-options.js';
import {
  type InputSourceNames,
  inputSourceNamesOf,
  resolveInputSource,
} from '../../pipelines/input-source.js';
import type { DataTransformStep } from '../../pipelines/steps/data-transform.js';
import { type EmitContext, type EmittedStep, singleState } from './context.js';
import { dataStepTask } from './data-task.js';

/**
 * Compiles a `data_transform` step: one step-runner Task, since the operations run on data held in
 * S3. Each source (`input_source`, a join's `right_source`) is resolved here to the one template it
 * means, so the step runner reads only the preferred spelling.
 */
export function emitDataTransformStep(step: DataTransformStep, ctx: EmitContext): EmittedStep {
  const names = inputSourceNamesOf(ctx.pipeline.workflow);
  const source = (text: string, field: readonly (string | number)[]) =>
    sourceTemplate(text, names, field, ctx);
  const operations = (step.operations ?? []).map(
    (operation, index): DataOperation =>
      operation.operation === 'join'
        ? {
            ...operation,
            right_source: source(operation.right_source, ['operations', index, 'right_source']),
          }
        : operation,
  );
  const spec: DataTransformStepSpec = {
    kind: 'data_transform',
    inputSource: source(step.input_source, ['input_source']),
    operations,
    outputField: step.output_field ?? step.name,
  };
  return singleState(step.name, dataStepTask({ stepId: step.name, next: ctx.next }), spec);
}

/** The template a source means; a source the loader would have rejected is reported again here. */
function sourceTemplate(
  text: string,
  names: InputSourceNames,
  field: readonly (string | number)[],
  ctx: EmitContext,
): string {
  const resolved = resolveInputSource(text, names);
  if (resolved.kind !== 'error') return resolved.template;
  ctx.report({
    code: resolved.code,
    message: resolved.message,
    hint: resolved.hint,
    path: [...ctx.path, ...field],
  });
  return text;
}

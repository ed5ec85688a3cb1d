import type { FileOpsStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { FileOpsStep } from '../../pipelines/steps/file-ops.js';
import { type EmitContext, type EmittedStep, singleState } from './context.js';
import { dataStepTask } from './data-task.js';

/**
 * Compiles a `file_ops` step: one step-runner Task working on the tenant's workspace in S3 (the
 * runner resolves templates in paths and confines every path to the workspace).
 */
export function emitFileOpsStep(step: FileOpsStep, ctx: EmitContext): EmittedStep {
  // The schema refuses the stream_* operations and XML formats, so only supported ones reach here.
  const spec = {
    kind: 'file_ops',
    operation: step.operation,
    ...(step.source === undefined ? {} : { source: step.source }),
    ...(step.destination === undefined ? {} : { destination: step.destination }),
    ...(step.path === undefined ? {} : { path: step.path }),
    ...(step.pattern === undefined ? {} : { pattern: step.pattern }),
    ...(step.format === undefined ? {} : { format: step.format }),
    ...(step.files === undefined ? {} : { files: step.files }),
  } as FileOpsStepSpec;
  return singleState(step.name, dataStepTask({ stepId: step.name, next: ctx.next }), spec);
}

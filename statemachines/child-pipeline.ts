import { createHash } from 'node:crypto';
import type { Step } from '../pipelines/schema.js';
import type { PipelineStep } from '../pipelines/steps/pipeline.js';
import type { Pipeline } from '../pipelines/types.js';

/**
 * What a nested pipeline step runs, and the scope it runs in. A child runs under its parent's run
 * (same run id, same spec bundle) with its own inputs, variables and step results; its run identity
 * carries `scope`, the dotted path of nesting steps, under which the step runner finds the child's
 * specs in the bundle (`report.summarize.draft`) and files its artifacts.
 */

/** The pipeline a nested step runs, with `scope` set to where it runs. */
export function childPipeline(step: PipelineStep, parent: Pipeline): Pipeline {
  const scope = [...(parent.scope ?? []), step.name];
  if (step.pipeline_file !== undefined) {
    const loaded = parent.pipelines?.[step.pipeline_file];
    // The loader loads every pipeline_file or reports it, so this is a bug, not a user error.
    if (!loaded) throw new Error(`internal: pipeline_file ${step.pipeline_file} was not loaded`);
    return { ...loaded, scope };
  }
  const inline = step.pipeline;
  if (!inline) throw new Error(`internal: pipeline step ${step.name} has no pipeline`);
  // An inline pipeline lives in its parent's file: the same defaults, files and nested pipelines.
  const { defaults } = parent.workflow;
  const workflow = {
    name: inline.name,
    steps: inline.steps as Step[],
    ...(defaults === undefined ? {} : { defaults }),
  };
  return { ...parent, workflow, scope };
}

/** The dotted scope of a nested pipeline (`report.summarize`). */
export function scopeOf(child: Pipeline): string {
  return (child.scope ?? []).join('.');
}

/**
 * The placeholder of a nested pipeline's child state machine ARN, one per nesting step: `scope` is
 * the dotted path of nesting steps (`report.summarize`). Keys hold only letters, digits and `_`; the
 * hash keeps two scopes that differ only in punctuation apart.
 */
export function childStateMachinePlaceholder(scope: string): string {
  const hash = createHash('sha256').update(scope).digest('hex').slice(0, 8);
  return `\${ChildStateMachine_${scope.replace(/[^A-Za-z0-9]/g, '_')}_${hash}}`;
}

import { allSteps } from '../pipelines/step-tree.js';
import type { Pipeline } from '../pipelines/types.js';
import { childPipeline, childStateMachinePlaceholder, scopeOf } from './child-pipeline.js';
import type { FieldRead } from './conditions/state-values.js';
import { stateLocator } from './conditions/state-values.js';
import { exposedFieldsOf } from './exposed-fields.js';
import { stepFieldReads } from './field-reads.js';

/**
 * The plan pass, the compiler's first: one walk over the checked pipeline that records the facts
 * more than one step (or the compiler itself) needs before anything is emitted, so nothing has to
 * recover them from emitted ASL afterwards:
 *
 * - which answer fields of each LLM step some Choice state reads, so its spec lists them in
 *   `exposeFields` and the runner copies exactly those into the state;
 * - which nested pipelines there are, and which of them are state machines of their own (children
 *   the compiler returns beside the definition), with their scopes and placeholders.
 */

/** What the plan knows of one pipeline: the root, or a nested one. */
export interface PipelinePlan {
  /** The pipeline planned (a nested one with its `scope` set). */
  readonly pipeline: Pipeline;
  /**
   * Every `$.steps.STEP.fields.FIELD` the Choice states of this pipeline's states read, inlined
   * children's states included (they are states of this definition), in walk order.
   */
  readonly fieldReads: readonly FieldRead[];
  /** For each LLM step of this pipeline whose answer fields a Choice state reads: those fields, sorted. */
  readonly exposedFields: ReadonlyMap<string, readonly string[]>;
  /** The nested pipeline steps of this pipeline (at any depth of its loops and switches), by step name. */
  readonly nested: ReadonlyMap<string, NestedPlan>;
}

/** A nested pipeline step and the plan of the pipeline it runs. */
export interface NestedPlan {
  /** The nesting step's name. */
  readonly step: string;
  /** The child's dotted scope (`report.summarize`). */
  readonly scope: string;
  /** Whether the child's states run inside the parent's definition (`config.inline`). */
  readonly inline: boolean;
  /** The child's own state machine's ARN placeholder; absent when the child is inline. */
  readonly placeholder?: string;
  readonly plan: PipelinePlan;
}

/**
 * The plan of a pipeline and, recursively, of the pipelines it nests.
 *
 * @example
 * planPipeline(pipeline).exposedFields.get('classify'); // ['severity']
 */
export function planPipeline(pipeline: Pipeline): PipelinePlan {
  const locate = stateLocator(pipeline);
  const fieldReads: FieldRead[] = [];
  const nested = new Map<string, NestedPlan>();
  for (const { step, path } of allSteps(pipeline.workflow.steps, ['workflow', 'steps'])) {
    fieldReads.push(...stepFieldReads(step, path, pipeline, locate));
    if (step.type !== 'pipeline') continue;
    const child = childPipeline(step, pipeline);
    const scope = scopeOf(child);
    const inline = Boolean(step.config?.inline);
    const plan = planPipeline(child);
    nested.set(step.name, {
      step: step.name,
      scope,
      inline,
      ...(inline ? {} : { placeholder: childStateMachinePlaceholder(scope) }),
      plan,
    });
    // An inlined child's Choice states are states of this definition. Its reads count here too,
    // matched by step name against this pipeline's steps, as the exposure has always been decided
    // from everything this definition's states read.
    if (inline) fieldReads.push(...plan.fieldReads);
  }
  return { pipeline, fieldReads, exposedFields: exposedFieldsOf(fieldReads, pipeline.workflow), nested };
}

/** A child state machine to compile: a nested pipeline that is not inline. */
export type ChildMachinePlan = NestedPlan & { readonly placeholder: string };

/**
 * Every child state machine a compile yields, at any depth (under inline children and under other
 * children too), sorted by scope so the same pipeline always lists its children alike.
 */
export function childMachines(plan: PipelinePlan): ChildMachinePlan[] {
  const found: ChildMachinePlan[] = [];
  const visit = (at: PipelinePlan) => {
    for (const nested of at.nested.values()) {
      if (nested.placeholder !== undefined) found.push({ ...nested, placeholder: nested.placeholder });
      visit(nested.plan);
    }
  };
  visit(plan);
  return found.sort((a, b) => (a.scope < b.scope ? -1 : 1));
}

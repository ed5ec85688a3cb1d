import {
  type CompiledCondition,
  compileCondition,
  compileExpression,
} from '../../pipelines/conditions/source.js';
import type { Expr } from '../../pipelines/contract/condition-ast.js';
import { allSteps } from '../../pipelines/step-tree.js';
import type { ConditionSource } from '../../pipelines/steps/condition.js';
import type { Pipeline } from '../../pipelines/types.js';

/**
 * Conditions as the compiler reads them: parsed and resolved again from the loaded pipeline (the
 * loader has reported every problem in them already, so none is expected here).
 */

/** The resolved tree of a condition (`condition:`, `while_loop.condition`, `break_condition`, …). */
export function conditionTree(
  source: ConditionSource,
  path: readonly (string | number)[],
  pipeline: Pipeline,
): Expr {
  return treeOf(compileCondition(source, path, { stepNames: stepNames(pipeline) }), path);
}

/** The resolved tree of a switch expression. */
export function expressionTree(text: string, path: readonly (string | number)[], pipeline: Pipeline): Expr {
  return treeOf(compileExpression(text, path, { stepNames: stepNames(pipeline) }), path);
}

function treeOf(compiled: CompiledCondition, path: readonly (string | number)[]): Expr {
  if (compiled.expr === undefined) {
    const problem = compiled.issues.find((issue) => issue.severity === 'error');
    throw new Error(
      `internal: the condition at ${path.join('.')} reached the compiler unchecked: ${problem?.message}`,
    );
  }
  return compiled.expr;
}

function stepNames(pipeline: Pipeline): Set<string> {
  return new Set([...allSteps(pipeline.workflow.steps, [])].map(({ step }) => step.name));
}

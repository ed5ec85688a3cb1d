import type { ConditionError, Expr, RefRoot } from '../contract/condition-ast.js';
import { closestName } from '../suggest.js';

/**
 * Gives every path of a parsed condition its root. The one spelling is the template grammar's:
 * `steps.NAME.field`, `inputs.x`, `global_vars.x`, `loop.x`. pipeline_ex's spellings still load,
 * each with a deprecation warning that shows the preferred form (defect 9): `NAME.field` (a step
 * name first, no `steps.` prefix) and `state.x` (a variable).
 *
 * Inside a per-item condition (`any(list, "severity == 'high'")`), `@` is the item, `@.x` and
 * `item.x` its fields, and any other name that is not a root is a field of the item, as in
 * pipeline_ex.
 */

/** A problem with one path, at offsets of the condition text. */
export interface PathIssue extends ConditionError {
  readonly code: 'UNKNOWN_REFERENCE' | 'DEPRECATED_SYNTAX' | 'BAD_CONDITION';
  readonly severity: 'error' | 'warning';
}

/** What the resolver knows: the step names of the file, to recognise pipeline_ex's `NAME.field`. */
export interface PathContext {
  readonly stepNames: ReadonlySet<string>;
}

const ROOTS: readonly Exclude<RefRoot, 'item'>[] = ['steps', 'inputs', 'global_vars', 'loop'];

/**
 * Returns the tree with each `path` node replaced by a `ref`, and the issues found. A path that
 * cannot be resolved stays a `path` node (its error is in the issues).
 */
export function resolvePaths(
  expr: Expr,
  context: PathContext,
  itemScope = false,
): { expr: Expr; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const visit = (node: Expr, inItem: boolean): Expr => {
    switch (node.kind) {
      case 'path':
        return resolvePath(node, context, inItem, issues);
      case 'literal':
      case 'ref':
        return node;
      case 'and':
      case 'or':
        return { ...node, operands: node.operands.map((operand) => visit(operand, inItem)) };
      case 'not':
      case 'negate':
        return { ...node, operand: visit(node.operand, inItem) };
      case 'compare':
      case 'arith':
      case 'contains':
      case 'matches':
        return { ...node, left: visit(node.left, inItem), right: visit(node.right, inItem) };
      case 'between':
        return {
          ...node,
          value: visit(node.value, inItem),
          low: visit(node.low, inItem),
          high: visit(node.high, inItem),
        };
      case 'call': {
        const args = node.args.map((arg) => visit(arg, inItem));
        return node.predicate === undefined
          ? { ...node, args }
          : { ...node, args, predicate: visit(node.predicate, true) };
      }
    }
  };
  return { expr: visit(expr, itemScope), issues };
}

function resolvePath(
  node: Extract<Expr, { kind: 'path' }>,
  context: PathContext,
  inItem: boolean,
  issues: PathIssue[],
): Expr {
  const [head = '', ...rest] = node.segments;
  const span = { start: node.start, end: node.end };
  const ref = (root: RefRoot, path: readonly string[]): Expr => ({ kind: 'ref', root, path, ...span });
  if (head === '@' || (inItem && head === 'item')) return ref('item', rest);
  if (head.includes('@')) {
    issues.push({
      code: 'BAD_CONDITION',
      severity: 'error',
      message: `"@" stands alone: "${node.segments.join('.')}"`,
      hint: 'inside a per-item condition write @ for the item and @.field for its fields',
      ...span,
    });
    return node;
  }
  const root = ROOTS.find((candidate) => candidate === head);
  if (root !== undefined) {
    const needed = root === 'steps' ? 2 : 1;
    if (rest.length >= needed) return ref(root, rest);
    const example = root === 'steps' ? `steps.${rest[0] ?? 'NAME'}.field` : `${root}.NAME`;
    issues.push({
      code: 'BAD_CONDITION',
      severity: 'error',
      message: `"${node.segments.join('.')}" names no field`,
      hint: `write ${example}`,
      ...span,
    });
    return node;
  }
  if (inItem) return ref('item', node.segments);
  if (head === 'state' && rest.length > 0) {
    const preferred = `global_vars.${rest.join('.')}`;
    issues.push(
      deprecated(`pipeline_ex's "state.${rest.join('.')}" is written ${preferred} here`, preferred, span),
    );
    return ref('global_vars', rest);
  }
  if (context.stepNames.has(head)) {
    if (rest.length === 0) {
      issues.push({
        code: 'BAD_CONDITION',
        severity: 'error',
        message: `"${head}" names a step but no field of its result`,
        hint: `write steps.${head}.FIELD, e.g. steps.${head}.text`,
        ...span,
      });
      return node;
    }
    const preferred = `steps.${node.segments.join('.')}`;
    issues.push(
      deprecated(
        `pipeline_ex's step path "${node.segments.join('.')}" is written ${preferred} here`,
        preferred,
        span,
      ),
    );
    return ref('steps', node.segments);
  }
  issues.push({
    code: 'UNKNOWN_REFERENCE',
    severity: 'error',
    message: `"${node.segments.join('.')}" is not a path: it names no step and starts with no root`,
    hint: unknownHint(head, rest, context),
    ...span,
  });
  return node;
}

function deprecated(message: string, preferred: string, span: { start: number; end: number }): PathIssue {
  return { code: 'DEPRECATED_SYNTAX', severity: 'warning', message, hint: `write ${preferred}`, ...span };
}

function unknownHint(head: string, rest: readonly string[], context: PathContext): string {
  const closeRoot = closestName(head, ROOTS);
  if (closeRoot !== undefined) return `write ${[closeRoot, ...rest].join('.')}`;
  const closeStep = closestName(head, context.stepNames);
  if (closeStep !== undefined) return `write steps.${[closeStep, ...rest].join('.')}`;
  if (rest.length === 0) {
    return `write steps.STEP.${head} for a step's field, inputs.${head} for an input, global_vars.${head} for a variable or loop.${head} inside a loop`;
  }
  return `paths start with steps., inputs., global_vars. or loop. (e.g. steps.${head}.${rest.join('.')})`;
}

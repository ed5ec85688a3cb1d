import type { Expr } from '../contract/condition-ast.js';

/** Binding strength of each node kind, loosest first; a child looser than its parent gets parentheses. */
const PRECEDENCE: Readonly<Record<Expr['kind'], number>> = {
  or: 1,
  and: 2,
  not: 3,
  compare: 4,
  contains: 4,
  matches: 4,
  between: 4,
  arith: 5,
  negate: 7,
  literal: 8,
  path: 8,
  ref: 8,
  call: 8,
};

/** Multiplication binds tighter than addition. */
function levelOf(expr: Expr): number {
  return expr.kind === 'arith' && (expr.op === '*' || expr.op === '/' || expr.op === '%')
    ? 6
    : PRECEDENCE[expr.kind];
}

/**
 * Writes a tree back as condition text in the preferred spelling (`steps.NAME.field`, never
 * pipeline_ex's `NAME.field`): for skipped-step reasons, deprecation hints and Choice comments.
 *
 * @example
 * formatCondition(resolved); // "steps.triage.severity == 'high' and inputs.strict"
 */
export function formatCondition(expr: Expr): string {
  const child = (node: Expr, min: number) => {
    const text = formatCondition(node);
    return levelOf(node) < min ? `(${text})` : text;
  };
  const level = levelOf(expr);
  switch (expr.kind) {
    case 'literal':
      return typeof expr.value === 'string' ? quote(expr.value) : String(expr.value);
    case 'path':
      return expr.segments.join('.');
    case 'ref':
      return expr.root === 'item' ? ['@', ...expr.path].join('.') : [expr.root, ...expr.path].join('.');
    case 'and':
    case 'or':
      return expr.operands.map((operand) => child(operand, level + 1)).join(` ${expr.kind} `);
    case 'not':
      return `not ${child(expr.operand, level)}`;
    case 'negate':
      return `-${child(expr.operand, level)}`;
    case 'compare':
      return `${child(expr.left, level + 1)} ${expr.op} ${child(expr.right, level + 1)}`;
    case 'arith':
      return `${child(expr.left, level)} ${expr.op} ${child(expr.right, level + 1)}`;
    case 'contains':
    case 'matches':
      return `${child(expr.left, level + 1)} ${expr.kind} ${child(expr.right, level + 1)}`;
    case 'between':
      return `${child(expr.value, level + 1)} between ${child(expr.low, level + 1)} and ${child(expr.high, level + 1)}`;
    case 'call': {
      const args = expr.args.map((arg, index) =>
        index === 1 && expr.predicate !== undefined
          ? JSON.stringify(formatCondition(expr.predicate))
          : formatCondition(arg),
      );
      return `${expr.name}(${args.join(', ')})`;
    }
  }
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t')}'`;
}

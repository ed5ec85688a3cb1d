import type { Expr, RefRoot } from '../contract/condition-ast.js';
import { valueAtPath } from '../data-path.js';
import { CONDITION_FUNCTIONS } from './functions.js';
import { asNumber, containsValue, isTruthy, jsonEquals, order } from './values.js';

/**
 * Evaluates a resolved condition tree. Evaluation never throws on data: a missing value is `null`,
 * arithmetic on something that is not a number is `null`, and comparisons of mismatched types are
 * false, so a model answer with an unexpected shape makes a condition false, not the run crash.
 */

/** Reads a reference of one of the template roots; `undefined` when the value is missing. */
export type RefReader = (root: Exclude<RefRoot, 'item'>, path: readonly string[]) => unknown;

/**
 * The value of an expression.
 *
 * @example
 * const { expr } = parseCondition('inputs.n * 2');
 * evaluateExpression(resolvePaths(expr, { stepNames: new Set() }).expr, () => 21); // 42
 */
export function evaluateExpression(expr: Expr, read: RefReader): unknown {
  return normalize(evaluate(expr, read, undefined));
}

/** Whether a condition holds: the truthiness of its value. */
export function evaluateCondition(expr: Expr, read: RefReader): boolean {
  return isTruthy(evaluate(expr, read, undefined));
}

/**
 * Whether a per-item condition holds for `item`: a tree whose references are rooted at `item` (a
 * data_transform filter's condition, see `item-condition.ts`).
 */
export function evaluateInItemScope(expr: Expr, item: unknown): boolean {
  const noRoots: RefReader = (root) => {
    throw new Error(`internal: a per-item condition read ${root}`);
  };
  return isTruthy(evaluate(expr, noRoots, { value: item }));
}

/** A missing value is `null`, and so is a number that is not finite (`1 / 0`). */
function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

function evaluate(expr: Expr, read: RefReader, item: { value: unknown } | undefined): unknown {
  const inner = (node: Expr) => normalize(evaluate(node, read, item));
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path':
      throw new Error(`internal: condition path "${expr.segments.join('.')}" was not resolved`);
    case 'ref':
      if (expr.root === 'item') {
        if (item === undefined) throw new Error('internal: item reference outside a per-item condition');
        return valueAtPath(item.value, expr.path);
      }
      return read(expr.root, expr.path);
    case 'and':
      return expr.operands.every((operand) => isTruthy(inner(operand)));
    case 'or':
      return expr.operands.some((operand) => isTruthy(inner(operand)));
    case 'not':
      return !isTruthy(inner(expr.operand));
    case 'negate': {
      const n = asNumber(inner(expr.operand));
      return n === undefined ? null : -n;
    }
    case 'compare':
      return compare(expr.op, inner(expr.left), inner(expr.right));
    case 'arith':
      return arithmetic(expr.op, inner(expr.left), inner(expr.right));
    case 'contains':
      return containsValue(inner(expr.left), inner(expr.right));
    case 'matches': {
      const text = inner(expr.left);
      return typeof text === 'string' && new RegExp(String(inner(expr.right)), 'u').test(text);
    }
    case 'between': {
      // Numbers only, as Step Functions' NumericGreaterThanEquals / NumericLessThanEquals compare.
      const [value, low, high] = [expr.value, expr.low, expr.high].map((node) => asNumber(inner(node)));
      return value !== undefined && low !== undefined && high !== undefined && low <= value && value <= high;
    }
    case 'call': {
      const fn = CONDITION_FUNCTIONS.get(expr.name);
      if (fn === undefined) throw new Error(`internal: unknown condition function ${expr.name}`);
      const args = expr.args.map((arg, index) => (index === fn.predicateArg ? undefined : inner(arg)));
      const { predicate } = expr;
      const test =
        predicate === undefined
          ? undefined
          : (value: unknown) => isTruthy(evaluate(predicate, read, { value }));
      return normalize(fn.call(args, test));
    }
  }
}

function compare(op: Extract<Expr, { kind: 'compare' }>['op'], left: unknown, right: unknown): boolean {
  if (op === '==') return jsonEquals(left, right);
  if (op === '!=') return !jsonEquals(left, right);
  const sign = order(left, right);
  if (sign === undefined) return false;
  switch (op) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

function arithmetic(
  op: Extract<Expr, { kind: 'arith' }>['op'],
  left: unknown,
  right: unknown,
): number | null {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a === undefined || b === undefined) return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      // Division by zero has no value (pipeline_ex answers 0, which would make `x / 0 == 0` true).
      return b === 0 ? null : a / b;
    case '%':
      return b === 0 ? null : a % b;
  }
}

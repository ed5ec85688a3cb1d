import { evaluateInItemScope } from './conditions/evaluate.js';
import { parseCondition } from './conditions/parser.js';
import type { Expr } from './contract/condition-ast.js';

/**
 * The item-level condition of a `data_transform` filter (pipeline_ex's transformer grammar, made
 * strict): `PATH OP LITERAL` or a bare `PATH` (truthiness). `PATH` is a dotted field path of the item,
 * or `value` for the filter's `field`; `OP` is one of `== != >= <= > < contains`; `LITERAL` is a
 * quoted string, a number, `true`, `false` or `null`. Anything else is rejected when the file loads.
 * It is that subset of the conditions language: parsed by its parser, evaluated by its evaluator in
 * item scope (the per-item conditions of `any`/`all`/`count` are the same scope).
 */

/** A comparison operator of an item condition. */
export type ItemOperator = '==' | '!=' | '>=' | '<=' | '>' | '<' | 'contains';

/** A literal a condition compares with. */
export type ItemLiteral = string | number | boolean | null;

/** A parsed item condition. `path` is empty for `value` (the filter's own `field`). */
export type ItemCondition =
  | { readonly kind: 'truthy'; readonly path: readonly string[] }
  | {
      readonly kind: 'compare';
      readonly path: readonly string[];
      readonly op: ItemOperator;
      readonly value: ItemLiteral;
    };

const EXAMPLE = "status == 'completed', total > 100 or active";

const OPERATORS: ReadonlySet<string> = new Set(['==', '!=', '>=', '<=', '>', '<']);

/**
 * Parses a condition, or says what is wrong with it. The text is read by the conditions parser
 * (`conditions/parser.ts`), so tokens, literals and operators are the conditions language's; an
 * item condition is then the part of that language pipeline_ex's filters write: one comparison of
 * a field with a literal, `contains`, or a bare field. Its paths are the item's fields, whatever
 * their first name (a field named `inputs` or `item` is the item's, not a root), and `value` is
 * the filter's `field`: that mapping is the one translation left between the two.
 *
 * @example
 * parseItemCondition("total > 100"); // { condition: { kind: 'compare', path: ['total'], op: '>', value: 100 } }
 */
export function parseItemCondition(
  text: string,
): { readonly condition: ItemCondition } | { readonly error: string } {
  const parsed = parseCondition(text);
  const notACondition = { error: `"${text}" is not an item condition; write e.g. ${EXAMPLE}` };
  if (parsed.expr === undefined) return notACondition;
  const expr = parsed.expr;
  const truthy = fieldOf(expr, text);
  if (truthy !== undefined) return { condition: { kind: 'truthy', path: truthy } };
  const comparison =
    expr.kind === 'compare' && OPERATORS.has(expr.op)
      ? { op: expr.op as ItemOperator, left: expr.left, right: expr.right }
      : expr.kind === 'contains'
        ? { op: 'contains' as const, left: expr.left, right: expr.right }
        : undefined;
  if (comparison === undefined) return notACondition;
  const path = fieldOf(comparison.left, text);
  const leftText = text.slice(comparison.left.start, comparison.left.end);
  if (path === undefined) return { error: `"${leftText}" is not a field path; write e.g. ${EXAMPLE}` };
  const value = literalOf(comparison.right);
  if (value === undefined) {
    return {
      error: `"${text.slice(comparison.right.start, comparison.right.end)}" is not a literal: quote strings ('completed'), or write a number, true, false or null`,
    };
  }
  return { condition: { kind: 'compare', path, op: comparison.op, value } };
}

/**
 * Whether `item` satisfies the condition. `fieldValue` is what `value` stands for (the filter's
 * `field` of the item). The condition is evaluated by the conditions evaluator in item scope, so its
 * rules are the conditions': `==` is JSON equality and a missing field is `null`; ordering compares
 * numbers with numbers and strings with strings (in UTF-16 order), any other pair is not ordered, so
 * `>` and `<` are false for it; a bare field holds unless it is missing, `null`, `false`, `""`, `[]`
 * or `{}`.
 */
export function evaluateItemCondition(condition: ItemCondition, item: unknown, fieldValue: unknown): boolean {
  const scope = condition.path.length === 0 ? fieldValue : item;
  return evaluateInItemScope(itemExpression(condition), scope);
}

/** The conditions-language tree of an item condition, its field a reference of the `item` root. */
export function itemExpression(condition: ItemCondition): Expr {
  const span = { start: 0, end: 0 };
  const left: Expr = { kind: 'ref', root: 'item', path: condition.path, ...span };
  if (condition.kind === 'truthy') return left;
  const right: Expr = { kind: 'literal', value: condition.value, ...span };
  if (condition.op === 'contains') return { kind: 'contains', left, right, ...span };
  return { kind: 'compare', op: condition.op, left, right, ...span };
}

/**
 * The item field a node names, or undefined: a plain dotted path (no `@`), `value` for the
 * filter's field. A trailing `.length` the parser read as the length function stays the field path.
 */
function fieldOf(node: Expr, text: string): readonly string[] | undefined {
  if (
    node.kind === 'call' &&
    node.name === 'length' &&
    text.slice(node.start, node.end).endsWith('.length')
  ) {
    const [target] = node.args;
    const path = target === undefined ? undefined : fieldOf(target, text);
    return path === undefined || path.length === 0 ? undefined : [...path, 'length'];
  }
  if (node.kind !== 'path' || node.segments.some((segment) => segment.includes('@'))) return undefined;
  return node.segments.length === 1 && node.segments[0] === 'value' ? [] : node.segments;
}

/** A literal (a negative number included), or undefined. */
function literalOf(node: Expr): ItemLiteral | undefined {
  if (node.kind === 'literal') return node.value;
  if (node.kind === 'negate' && node.operand.kind === 'literal' && typeof node.operand.value === 'number')
    return -node.operand.value;
  return undefined;
}

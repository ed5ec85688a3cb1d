import type { CompareOp, Expr, ExprOf, LiteralValue } from '../../pipelines/contract/condition-ast.js';
import type { AslObject } from '../../pipelines/contract/spec-bundle.js';
import type { LocateValue, StateValue } from './state-values.js';

/**
 * Compiles a condition to a Step Functions Choice rule when ASL can express it exactly: comparisons
 * of state values with literals or with each other, `between`, `contains` on a string, `matches`
 * with a pattern that is a glob, truthiness of a value of known type, and `and` / `or` / `not` of
 * those. Anything else (arithmetic, functions, regular expressions, values only in S3) yields
 * undefined, and the compiler asks the step runner instead.
 *
 * Every comparison is guarded with `IsPresent` and a type test: a Choice rule whose path is missing
 * fails the execution (`States.Runtime`), while the language says a missing value is `null` and a
 * comparison of mismatched types is false (see `pipelines/conditions/values.ts`).
 */
export function choiceRule(expr: Expr, locate: LocateValue): AslObject | undefined {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const rules = expr.operands.map((operand) => choiceRule(operand, locate));
      if (rules.some((rule) => rule === undefined)) return undefined;
      return { [expr.kind === 'and' ? 'And' : 'Or']: rules as AslObject[] };
    }
    case 'not': {
      const rule = choiceRule(expr.operand, locate);
      return rule === undefined ? undefined : { Not: rule };
    }
    case 'compare':
      return compareRule(expr, locate);
    case 'between': {
      const value = stateValueOf(expr.value, locate);
      const [low, high] = [literal(expr.low), literal(expr.high)];
      if (value === undefined || typeof low !== 'number' || typeof high !== 'number') return undefined;
      return guarded(value, 'IsNumeric', [
        { Variable: value.path, NumericGreaterThanEquals: low },
        { Variable: value.path, NumericLessThanEquals: high },
      ]);
    }
    case 'contains': {
      const value = stateValueOf(expr.left, locate);
      const needle = literal(expr.right);
      // Substring of a string: a glob; membership in a list has no Choice operator.
      if (value?.type !== 'string' || typeof needle !== 'string') return undefined;
      return guarded(value, 'IsString', [{ Variable: value.path, StringMatches: `*${escapeGlob(needle)}*` }]);
    }
    case 'matches': {
      const value = stateValueOf(expr.left, locate);
      const glob = regexAsGlob(String(literal(expr.right)));
      if (value === undefined || glob === undefined) return undefined;
      return guarded(value, 'IsString', [{ Variable: value.path, StringMatches: glob }]);
    }
    case 'ref':
      return truthyRule(locate(expr));
    default:
      return undefined;
  }
}

const MIRRORED: Readonly<Record<CompareOp, CompareOp>> = {
  '==': '==',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};
const ORDER_OPERATORS: Readonly<Record<string, string>> = {
  '<': 'LessThan',
  '<=': 'LessThanEquals',
  '>': 'GreaterThan',
  '>=': 'GreaterThanEquals',
};

function compareRule(expr: ExprOf<'compare'>, locate: LocateValue): AslObject | undefined {
  const left = stateValueOf(expr.left, locate);
  const right = stateValueOf(expr.right, locate);
  if (left !== undefined && right !== undefined) return pathsRule(expr.op, left, right);
  // `literal OP path` reads as `path MIRRORED-OP literal`.
  const [value, op, other] =
    left !== undefined ? [left, expr.op, expr.right] : [right, MIRRORED[expr.op], expr.left];
  if (value === undefined || other.kind !== 'literal') return undefined;
  if (op === '==') return equalsRule(value, other.value);
  if (op === '!=') return { Not: equalsRule(value, other.value) };
  const suffix = ORDER_OPERATORS[op] as string;
  if (typeof other.value === 'number')
    return guarded(value, 'IsNumeric', [{ Variable: value.path, [`Numeric${suffix}`]: other.value }]);
  if (typeof other.value === 'string')
    return guarded(value, 'IsString', [{ Variable: value.path, [`String${suffix}`]: other.value }]);
  return undefined;
}

/** `path == literal`, with the type test the literal implies; `== null` also holds for a missing value. */
function equalsRule(value: StateValue, literalValue: LiteralValue): AslObject {
  if (literalValue === null)
    return {
      Or: [{ Not: { Variable: value.path, IsPresent: true } }, { Variable: value.path, IsNull: true }],
    };
  if (typeof literalValue === 'string')
    return guarded(value, 'IsString', [{ Variable: value.path, StringEquals: literalValue }]);
  if (typeof literalValue === 'number')
    return guarded(value, 'IsNumeric', [{ Variable: value.path, NumericEquals: literalValue }]);
  return guarded(value, 'IsBoolean', [{ Variable: value.path, BooleanEquals: literalValue }]);
}

/** An ordering of two state values: both numbers or both strings; equality of two paths is left to the runner. */
function pathsRule(op: CompareOp, left: StateValue, right: StateValue): AslObject | undefined {
  const suffix = ORDER_OPERATORS[op];
  if (suffix === undefined) return undefined;
  const both = (test: string, operator: string): AslObject => ({
    And: [
      ...presentAs(left, test),
      ...presentAs(right, test),
      { Variable: left.path, [`${operator}${suffix}Path`]: right.path },
    ],
  });
  return { Or: [both('IsNumeric', 'Numeric'), both('IsString', 'String')] };
}

/** Truthiness of a value whose type the compiler knows; pipeline_ex's falsy values are absent, null, false, "", [] and {}. */
function truthyRule(value: StateValue | undefined): AslObject | undefined {
  switch (value?.type) {
    case 'boolean':
      return guarded(value, 'IsBoolean', [{ Variable: value.path, BooleanEquals: true }]);
    case 'string':
      return guarded(value, 'IsString', [{ Not: { Variable: value.path, StringEquals: '' } }]);
    case 'number':
      return guarded(value, 'IsNumeric', []);
    case 'array':
      return { Variable: `${value.path}[0]`, IsPresent: true };
    default:
      // An object's emptiness, or a value of unknown type, is beyond Choice rules.
      return undefined;
  }
}

function guarded(value: StateValue, typeTest: string, rules: readonly AslObject[]): AslObject {
  return { And: [...presentAs(value, typeTest), ...rules] };
}

function presentAs(value: StateValue, typeTest: string): AslObject[] {
  return [
    { Variable: value.path, IsPresent: true },
    { Variable: value.path, [typeTest]: true },
  ];
}

function stateValueOf(expr: Expr, locate: LocateValue): StateValue | undefined {
  return expr.kind === 'ref' ? locate(expr) : undefined;
}

function literal(expr: Expr): LiteralValue | undefined {
  return expr.kind === 'literal' ? expr.value : undefined;
}

/** Escapes text for StringMatches, where `*` is a wildcard and `\` escapes. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*]/g, (c) => `\\${c}`);
}

const REGEX_META = /[.^$*+?()[\]{}|\\]/;

/**
 * A regular expression that is a literal with optional anchors (`^v1`, `done$`, `^exact$`,
 * `.*part.*`) as the equivalent glob; undefined for anything richer. Regular expressions search,
 * globs match the whole string, so an unanchored side becomes `*`.
 */
export function regexAsGlob(pattern: string): string | undefined {
  let body = pattern;
  const anchoredStart = body.startsWith('^');
  if (anchoredStart) body = body.slice(1);
  const anchoredEnd = body.endsWith('$') && !body.endsWith('\\$');
  if (anchoredEnd) body = body.slice(0, -1);
  const leadingAny = !anchoredStart && body.startsWith('.*');
  if (leadingAny) body = body.slice(2);
  const trailingAny = !anchoredEnd && body.endsWith('.*') && !body.endsWith('\\.*');
  if (trailingAny) body = body.slice(0, -2);
  let text = '';
  for (let at = 0; at < body.length; at++) {
    const char = body[at] as string;
    if (char === '\\') {
      const next = body[at + 1];
      if (next === undefined || !REGEX_META.test(next)) return undefined;
      text += next;
      at++;
    } else if (REGEX_META.test(char)) {
      return undefined;
    } else {
      text += char;
    }
  }
  return `${anchoredStart ? '' : '*'}${escapeGlob(text)}${anchoredEnd ? '' : '*'}`;
}

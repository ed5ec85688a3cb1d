import type { Expr } from '../contract/condition-ast.js';
import type { ConditionSource } from '../steps/condition.js';
import type { FieldPath } from '../yaml-ranges.js';
import { formatCondition } from './format.js';
import { parseCondition } from './parser.js';
import { type PathContext, resolvePaths } from './paths.js';

/**
 * Turns a condition as written (a string, and/or/not maps, a list) into one resolved tree. Each
 * string is parsed on its own, so every issue carries the field path of its string and offsets
 * inside it: the loader maps those to `FILE:LINE:COL`.
 */

/** A problem inside one string of a condition. */
export interface ConditionIssue {
  readonly code: 'BAD_CONDITION' | 'UNKNOWN_REFERENCE' | 'DEPRECATED_SYNTAX';
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint?: string;
  /** Field path of the string, e.g. `['workflow', 'steps', 2, 'condition', 'and', 0]`. */
  readonly path: FieldPath;
  /** Offsets inside that string. */
  readonly start: number;
  readonly end: number;
}

/** The compiled condition (absent when a string failed to parse) and every issue found. */
export interface CompiledCondition {
  readonly expr?: Expr;
  readonly issues: readonly ConditionIssue[];
}

/**
 * Compiles the value of a `condition:` field (or `while_loop.condition`, `break_condition`, …).
 *
 * @example
 * compileCondition({ and: ['triage.severity == "high"', 'inputs.notify'] }, path, { stepNames });
 * // expr: and(compare(ref steps.triage.severity), ref inputs.notify), plus a DEPRECATED_SYNTAX warning
 */
export function compileCondition(
  source: ConditionSource,
  path: FieldPath,
  context: PathContext,
): CompiledCondition {
  const issues: ConditionIssue[] = [];
  const expr = compileNode(source, path, context, issues);
  return expr === undefined ? { issues } : { expr, issues };
}

/**
 * Compiles an expression whose value is used (a `switch` expression): one string, same grammar.
 */
export function compileExpression(text: string, path: FieldPath, context: PathContext): CompiledCondition {
  const issues: ConditionIssue[] = [];
  const expr = compileText(text, path, context, issues);
  return expr === undefined ? { issues } : { expr, issues };
}

function compileNode(
  source: ConditionSource,
  path: FieldPath,
  context: PathContext,
  issues: ConditionIssue[],
): Expr | undefined {
  if (typeof source === 'string') return compileText(source, path, context, issues);
  const [kind, items]: readonly ['and' | 'or' | 'not', readonly ConditionSource[]] = isList(source)
    ? ['and', source]
    : 'and' in source
      ? ['and', source.and]
      : 'or' in source
        ? ['or', source.or]
        : ['not', [source.not]];
  const base = isList(source) ? path : [...path, kind];
  const operands = items.map((item, index) =>
    compileNode(item, kind === 'not' ? base : [...base, index], context, issues),
  );
  if (operands.some((operand) => operand === undefined)) return undefined;
  const exprs = operands as Expr[];
  const span = { start: 0, end: 0 };
  if (kind === 'not') return { kind: 'not', operand: exprs[0] as Expr, ...span };
  return exprs.length === 1 ? exprs[0] : { kind, operands: exprs, ...span };
}

/** Parses one string, after unwrapping pipeline_ex's `{{ … }}` around a whole condition. */
function compileText(
  text: string,
  path: FieldPath,
  context: PathContext,
  issues: ConditionIssue[],
): Expr | undefined {
  const wrapped = /^(\s*\{\{)([\s\S]*)\}\}\s*$/.exec(text);
  const unwrapped = wrapped !== null && !(wrapped[2] as string).includes('{{');
  if (!unwrapped && text.includes('{{')) {
    const at = text.indexOf('{{');
    issues.push({
      code: 'BAD_CONDITION',
      severity: 'error',
      message: 'templates cannot be used inside a condition',
      hint: 'write the path itself, e.g. steps.NAME.field instead of {{steps.NAME.field}}',
      path,
      start: at,
      end: Math.max(text.indexOf('}}', at) + 2, at + 2),
    });
    return undefined;
  }
  const offset = unwrapped ? (wrapped[1] as string).length : 0;
  const parsed = parseCondition(unwrapped ? (wrapped[2] as string) : text, offset);
  if (parsed.error) {
    issues.push({ code: 'BAD_CONDITION', severity: 'error', ...parsed.error, path });
    return undefined;
  }
  const resolved = resolvePaths(parsed.expr as Expr, context);
  if (unwrapped) {
    // pipeline_ex writes some conditions as templates; the preferred form is the bare condition.
    issues.push({
      code: 'DEPRECATED_SYNTAX',
      severity: 'warning',
      message: 'a condition is not a template: the {{ }} around it are not needed',
      hint: `write ${formatCondition(resolved.expr)}`,
      path,
      start: 0,
      end: text.length,
    });
  }
  for (const issue of resolved.issues) issues.push({ ...issue, path });
  return resolved.issues.some((issue) => issue.severity === 'error') ? undefined : resolved.expr;
}

// Array.isArray does not narrow readonly arrays out of a union.
function isList(source: ConditionSource): source is readonly ConditionSource[] {
  return Array.isArray(source);
}

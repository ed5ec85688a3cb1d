/**
 * The item-level condition of a `data_transform` filter (pipeline_ex's transformer grammar, made
 * strict): `PATH OP LITERAL` or a bare `PATH` (truthiness). `PATH` is a dotted field path of the item,
 * or `value` for the filter's `field`; `OP` is one of `== != >= <= > < contains`; `LITERAL` is a
 * quoted string, a number, `true`, `false` or `null`. Anything else is rejected when the file loads.
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

const PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
// `>=` and `<=` come before `>` and `<` in the alternation, so they are never read as `>` or `<`.
const COMPARISON = /^(\S+?)\s*(==|!=|>=|<=|>|<)\s*(.+)$|^(\S+)\s+(contains)\s+(.+)$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const EXAMPLE = "status == 'completed', total > 100 or active";

/**
 * Parses a condition, or says what is wrong with it.
 *
 * @example
 * parseItemCondition("total > 100"); // { condition: { kind: 'compare', path: ['total'], op: '>', value: 100 } }
 */
export function parseItemCondition(
  text: string,
): { readonly condition: ItemCondition } | { readonly error: string } {
  const trimmed = text.trim();
  const match = COMPARISON.exec(trimmed);
  if (match === null) {
    if (PATH.test(trimmed)) return { condition: { kind: 'truthy', path: fieldPath(trimmed) } };
    return { error: `"${text}" is not an item condition; write e.g. ${EXAMPLE}` };
  }
  const [left = '', op = '', right = ''] = match[1] === undefined ? match.slice(4) : match.slice(1, 4);
  if (!PATH.test(left)) return { error: `"${left}" is not a field path; write e.g. ${EXAMPLE}` };
  const value = parseLiteral(right.trim());
  if (value === undefined) {
    return {
      error: `"${right.trim()}" is not a literal: quote strings ('completed'), or write a number, true, false or null`,
    };
  }
  return { condition: { kind: 'compare', path: fieldPath(left), op: op as ItemOperator, value } };
}

/**
 * Whether `item` satisfies the condition. `fieldValue` is what `value` stands for (the filter's
 * `field` of the item). Ordering compares numbers with numbers and strings with strings (in UTF-16
 * order); any other pair is not ordered, so `>` and `<` are false for it.
 */
export function evaluateItemCondition(condition: ItemCondition, item: unknown, fieldValue: unknown): boolean {
  const left = condition.path.length === 0 ? fieldValue : valueAt(item, condition.path);
  if (condition.kind === 'truthy') return isTruthy(left);
  const right = condition.value;
  switch (condition.op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case 'contains':
      if (typeof left === 'string' && typeof right === 'string') return left.includes(right);
      return Array.isArray(left) && left.some((element) => element === right);
    default:
      return compareOrdered(left, right, condition.op);
  }
}

/** The value at a dotted path of an item, or undefined when any field on the way is missing. */
export function valueAt(item: unknown, path: readonly string[]): unknown {
  let current = item;
  for (const field of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[field];
  }
  return current;
}

function fieldPath(text: string): readonly string[] {
  return text === 'value' ? [] : text.split('.');
}

function parseLiteral(text: string): ItemLiteral | undefined {
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(text);
  if (quoted) return quoted[1] ?? quoted[2] ?? '';
  if (NUMBER.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return undefined;
}

function compareOrdered(left: unknown, right: ItemLiteral, op: '>=' | '<=' | '>' | '<'): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') ||
    (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const a = left as number | string;
  const b = right as number | string;
  if (op === '>') return a > b;
  if (op === '<') return a < b;
  if (op === '>=') return a >= b;
  return a <= b;
}

/** pipeline_ex's truthiness: null, false, "", [] and {} are false. */
function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

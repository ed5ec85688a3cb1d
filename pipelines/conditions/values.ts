/**
 * The value rules of the conditions language, shared by the evaluator and its functions. They are
 * the rules the compiler's Choice rules implement too (`statemachines/conditions/choice-rule.ts`),
 * so a condition means the same whether a Choice state or the step runner decides it.
 */

/**
 * Falsy values are pipeline_ex's: a missing value, `null`, `false`, `""`, `[]` and `{}`. Every other
 * value is truthy, `0` included (as in pipeline_ex, whose Elixir treats 0 as true).
 */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** JSON equality: same type and same content; `1 == '1'` is false. A missing value equals `null`. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  const left = a === undefined ? null : a;
  const right = b === undefined ? null : b;
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => jsonEquals(item, right[index]));
  }
  const leftKeys = Object.keys(left);
  const rightRecord = right as Record<string, unknown>;
  return (
    leftKeys.length === Object.keys(right).length &&
    leftKeys.every(
      (key) =>
        Object.hasOwn(rightRecord, key) &&
        jsonEquals((left as Record<string, unknown>)[key], rightRecord[key]),
    )
  );
}

/**
 * Orders two values for `<`, `<=`, `>`, `>=`: numbers numerically, strings by code unit (as Step
 * Functions' `StringLessThan` does). Values of different or other types are unordered: every
 * ordering comparison of them is false.
 */
export function order(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  const bothStrings = typeof a === 'string' && typeof b === 'string';
  if (!bothNumbers && !bothStrings) return undefined;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `a contains b`: a substring of a string, or an element (by JSON equality) of a list. */
export function containsValue(container: unknown, needle: unknown): boolean {
  if (typeof container === 'string') return typeof needle === 'string' && container.includes(needle);
  if (Array.isArray(container)) return container.some((item) => jsonEquals(item, needle));
  return false;
}

/** A number, or undefined for anything else (arithmetic and math functions read only numbers). */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The numbers of a list, or undefined when `value` is not a list. */
export function numbersOf(value: unknown): number[] | undefined {
  return Array.isArray(value)
    ? value.filter((item): item is number => asNumber(item) !== undefined)
    : undefined;
}

/** Length of a list or string, number of keys of a map; `null` for anything else. */
export function lengthOf(value: unknown): number | null {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return null;
}

/**
 * The one walker of dotted paths into data (`steps.plan.items.0.title`), used wherever the pipeline
 * language reads a field: templates, conditions, data_transform fields and item conditions,
 * `previous_response` extraction, loop contexts and answer checks.
 *
 * A path reads own properties only (`Object.hasOwn`), so the names JavaScript objects inherit
 * (`constructor`, `__proto__`, `toString`, `hasOwnProperty`, …) are unknown fields like any other,
 * never a function of the runtime. A list is read by index (`items.0`), and its `length` is its own
 * property too (`{{steps.plan.items.length}}`). Strings, numbers, booleans and null have no fields.
 */

/** What a path reads: the value it found, or that some field on the way is absent. */
export type PathRead = { readonly found: true; readonly value: unknown } | { readonly found: false };

const ABSENT: PathRead = { found: false };

/**
 * Reads `segments` from `value`, one own property at a time.
 *
 * @example
 * readPath({ a: { b: [1, 2] } }, ['a', 'b', '1']); // { found: true, value: 2 }
 * readPath({ a: 1 }, ['constructor']); // { found: false }
 */
export function readPath(value: unknown, segments: readonly (string | number)[]): PathRead {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return ABSENT;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { found: true, value: current };
}

/**
 * The value at a path, or `undefined` when any field on the way is absent (see {@link readPath}).
 *
 * @example
 * valueAtPath({ items: ['a'] }, ['items', '0']); // 'a'
 * valueAtPath({}, ['toString']); // undefined
 */
export function valueAtPath(value: unknown, segments: readonly (string | number)[]): unknown {
  const read = readPath(value, segments);
  return read.found ? read.value : undefined;
}

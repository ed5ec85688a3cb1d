import type { Iteration } from '../../pipelines/contract/step-event.js';
/**
 * Where one run of a step stands in the loops around it. A step in a loop body runs once per
 * iteration, and each run is numbered on its own: its attempts count from 1, its artifacts and
 * metrics are filed under its iteration, and a mock script can answer it alone (`review[1]`).
 */

/**
 * The iteration a step runs in, read from the loop context the state machine passes (`loop`, whose
 * `parent` is the enclosing loop's context); undefined outside loops.
 *
 * @example
 * iterationOf({ index: 0, item: 'x', parent: { index: 2, iteration: 3 } }); // [2, 0]
 */
export function iterationOf(loop: Readonly<Record<string, unknown>> | undefined): Iteration | undefined {
  const indexes: number[] = [];
  for (let context = loop; context !== undefined; context = context.parent as typeof loop) {
    if (typeof context.index === 'number') indexes.unshift(context.index);
  }
  return indexes.length > 0 ? indexes : undefined;
}

/**
 * `[1][0]`: how an iteration is written after a step id, in mock script keys (`review[1]`) and in
 * `show`; empty outside loops.
 */
export function iterationSuffix(iteration: Iteration | undefined): string {
  return (iteration ?? []).map((index) => `[${index}]`).join('');
}

/** `{iteration}` inside a loop body, nothing outside, so records of steps outside loops keep their shape. */
export function iterationField(iteration: Iteration | undefined): { readonly iteration?: Iteration } {
  return iteration === undefined ? {} : { iteration };
}

/** Whether two records belong to the same iteration (both outside loops, or the same indexes). */
export function sameIteration(a: Iteration | undefined, b: Iteration | undefined): boolean {
  return iterationSuffix(a) === iterationSuffix(b);
}

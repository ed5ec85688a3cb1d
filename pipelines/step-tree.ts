import type { Step } from './schema.js';
import type { FieldPath } from './yaml-ranges.js';

/**
 * The tree of steps a workflow holds: step types that contain steps (loop bodies, switch cases)
 * declare their lists here, once, and every pass that walks the tree (reference checks, the
 * compiler's plans) reads this table instead of knowing each type.
 */

/** How a nested list runs relative to the step that holds it. */
export type NestedListKind =
  /** A `for_loop` body: a Map iteration with `loop.*` of the items. */
  | 'for_loop'
  /** A `while_loop` body: repeated in the same state, with `loop.index` / `loop.iteration`. */
  | 'while_loop'
  /** One branch of a `switch`: runs at most once, in the same state. */
  | 'branch';

/** A list of steps nested in a step. */
export interface NestedList {
  readonly kind: NestedListKind;
  /** Field path of the list, e.g. `['workflow', 'steps', 2, 'cases', 'high']`. */
  readonly path: FieldPath;
  readonly steps: readonly Step[];
  /** For a switch branch: the case key, or undefined for `default`. */
  readonly caseKey?: string;
}

/** A step with where it stands in the file and the steps that enclose it, outermost first. */
export interface StepSite {
  readonly step: Step;
  readonly path: FieldPath;
  readonly ancestors: readonly { readonly step: Step; readonly list: NestedList }[];
}

/** The step lists nested in `step` (at `path`), in the order they appear. */
export function nestedLists(step: Step, path: FieldPath): NestedList[] {
  // The schema types nested lists loosely (see nested-steps.ts); it has checked every item is a Step.
  const steps = (list: readonly unknown[]) => list as readonly Step[];
  switch (step.type) {
    case 'for_loop':
    case 'while_loop':
      return [{ kind: step.type, path: [...path, 'steps'], steps: steps(step.steps) }];
    case 'switch':
      return [
        ...Object.entries(step.cases).map(([caseKey, list]) => ({
          kind: 'branch' as const,
          path: [...path, 'cases', caseKey],
          steps: steps(list),
          caseKey,
        })),
        ...(step.default
          ? [{ kind: 'branch' as const, path: [...path, 'default'], steps: steps(step.default) }]
          : []),
      ];
    default:
      return [];
  }
}

/** Every step of a list and of the lists nested in it, depth first, each before its children. */
export function* allSteps(
  steps: readonly Step[],
  path: FieldPath,
  ancestors: StepSite['ancestors'] = [],
): Generator<StepSite> {
  for (const [index, step] of steps.entries()) {
    const stepPath = [...path, index];
    yield { step, path: stepPath, ancestors };
    for (const list of nestedLists(step, stepPath)) {
      yield* allSteps(list.steps, list.path, [...ancestors, { step, list }]);
    }
  }
}

/** The variables a step sets: a set_variable step's keys, nothing for any other type. */
export function variablesSetBy(step: Step): string[] {
  return step.type === 'set_variable' ? Object.keys(step.variables) : [];
}

/** Whether a step leaves a result under `steps.NAME` (every type but set_variable). */
export function hasResult(step: Step): boolean {
  return step.type !== 'set_variable';
}

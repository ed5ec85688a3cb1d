import { evaluateCondition } from '../../pipelines/conditions/evaluate.js';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { LoopItemsStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { valueAtPath } from '../../pipelines/data-path.js';
import { referencedSteps, TemplateScope } from '../llm/template-scope.js';
import { ElexirionError } from '../shared/errors.js';
import { loadConditionReader } from '../step-runner/condition-reader.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';

/** What a for_loop's items Task returns into the state, for its Map. */
// A type, not an interface: the runner's reply must be assignable to a plain record.
export type LoopItems = {
  /** Items of the list, all of them (the loop context's `total`). */
  readonly total_items: number;
  /** Index of the last item that runs (`loop.last`); -1 for none. */
  readonly last_index: number;
  /** The items the Map runs: the list, cut before the first item the break_condition holds for. */
  readonly items: readonly unknown[];
  /** Where the break_condition stopped the loop; null when it never held. Only with a break_condition. */
  readonly break_index?: number | null;
};

/**
 * Reads a for_loop's list for its Map: resolves the data_source (from the state or an answer in
 * S3), checks it is a list of at most `maxItems` items (`Loop.ItemsInvalid`, `Loop.TooManyItems`),
 * and applies the break_condition, tested on each item in order with that item's loop context.
 */
export async function runLoopItemsStep(
  event: StepRunnerEvent,
  spec: LoopItemsStepSpec,
  deps: Pick<StepRunnerDeps, 'artifacts'>,
): Promise<LoopItems> {
  const scope = await TemplateScope.load(event, referencedSteps([spec.dataSource]), deps.artifacts);
  const list = scope.evaluate(spec.dataSource);
  if (!Array.isArray(list)) {
    throw new ElexirionError(
      ErrorName.LoopItemsInvalid,
      `for_loop ${event.stepId}: data_source ${spec.dataSource} is ${list === null ? 'null' : typeof list}, not a list`,
    );
  }
  if (list.length > spec.maxItems) {
    throw new ElexirionError(
      ErrorName.LoopTooManyItems,
      `for_loop ${event.stepId}: data_source ${spec.dataSource} has ${list.length} items; an inline Map runs at most ${spec.maxItems} here. Use claude_batch, whose Distributed Map takes large lists`,
    );
  }
  const breakIndex =
    spec.breakCondition === undefined ? undefined : await firstBreak(event, spec, list, deps);
  const items = breakIndex === undefined ? list : list.slice(0, breakIndex);
  return {
    total_items: list.length,
    last_index: items.length - 1,
    items,
    ...(spec.breakCondition === undefined ? {} : { break_index: breakIndex ?? null }),
  };
}

async function firstBreak(
  event: StepRunnerEvent,
  spec: LoopItemsStepSpec,
  list: readonly unknown[],
  deps: Pick<StepRunnerDeps, 'artifacts'>,
): Promise<number | undefined> {
  const condition = spec.breakCondition;
  if (condition === undefined) return undefined;
  const read = await loadConditionReader(event, condition, deps.artifacts);
  for (const [index, item] of list.entries()) {
    const loop = {
      [spec.iterator]: item,
      item,
      index,
      total: list.length,
      first: index === 0,
      last: index === list.length - 1,
      ...(event.loop === undefined ? {} : { parent: event.loop }),
    };
    const holds = evaluateCondition(condition, (root, path) =>
      root === 'loop' ? valueAtPath(loop, path) : read(root, path),
    );
    if (holds) return index;
  }
  return undefined;
}

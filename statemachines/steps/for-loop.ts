import { ErrorName } from '../../pipelines/contract/errors.js';
import type { AslObject, LoopItemsStepSpec } from '../../pipelines/contract/spec-bundle.js';
import { parseDataSource } from '../../pipelines/loop-data-source.js';
import type { Step } from '../../pipelines/schema.js';
import { allSteps } from '../../pipelines/step-tree.js';
import { DEFAULT_MAX_PARALLEL, type ForLoopStep } from '../../pipelines/steps/for-loop.js';
import type { TemplateRef } from '../../pipelines/templates.js';
import { conditionTree } from '../conditions/compiled.js';
import { stateLocator } from '../conditions/state-values.js';
import { HISTORY_EVENT_QUOTA, machineEvents, setEventWeight } from '../history-events.js';
import { helperStateName } from '../state-names.js';
import { evaluationTask } from './condition-branch.js';
import { type EmitContext, type EmittedStep, mergeEmitted, transition } from './context.js';
import { insideLoop } from './loop-context.js';
import { iterationStates } from './loop-iteration.js';
import { stepResultPath } from './step-runner-task.js';

/** The most items an inline Map takes here; a larger list belongs in a Distributed Map (claude_batch). */
export const MAX_INLINE_ITEMS = 1000;

/**
 * Compiles a `for_loop` into a Map state:
 *
 * ```
 * L (Pass: count the list | Task: read it) ─▶ L.CheckItems ─▶ L.Map ─▶ L.Done ─▶ next step
 *                                                  └─ too many ─▶ L.TooManyItems (Loop.TooManyItems)
 * ```
 *
 * A list already in the state with a known list type (an input declared `type: array`, another
 * loop's iterations) is counted by a Pass; any other list (a field of an answer in S3, a value of
 * unknown type), and any loop with a `break_condition`, is read by a step-runner Task (spec kind
 * `loop_items`) that checks it is a list, applies the break and returns it into the state, since an
 * inline Map iterates the state. Items are capped so that the iterations fit the history quota
 * (at most {@link MAX_INLINE_ITEMS}); see `loop-iteration.ts` for what one iteration runs.
 * The result: `{total_items, iterations: [...], break_index?}`.
 */
export function emitForLoopStep(step: ForLoopStep, ctx: EmitContext): EmittedStep {
  const name = (suffix: string) => helperStateName(step.name, suffix);
  const result = stepResultPath(step.name);
  const nested = insideLoop(ctx);
  const source = dataSourceRef(step, ctx);
  const located = stateLocator(ctx.pipeline)({
    kind: 'ref',
    root: source.root,
    path: source.path,
    start: 0,
    end: 0,
  });
  const readByRunner = located?.type !== 'array' || step.break_condition !== undefined;
  const itemsPath = readByRunner ? `${result}.items` : (located?.path ?? '');

  const iteration = iterationStates(step, ctx);
  const perIteration = 2 + machineEvents(iteration.processor);
  const cap = Math.min(MAX_INLINE_ITEMS, Math.floor((HISTORY_EVENT_QUOTA - 20) / perIteration));
  if (cap < 1) reportTooLong(step, perIteration, ctx);

  const map: AslObject = {
    Type: 'Map',
    ItemsPath: itemsPath,
    ItemSelector: itemSelector(step, result, nested),
    MaxConcurrency: step.parallel ? (step.max_parallel ?? DEFAULT_MAX_PARALLEL) : 1,
    ItemProcessor: iteration.processor,
    ResultPath: `${result}.iterations`,
    Next: name('Done'),
  };
  setEventWeight(map, 4 + Math.max(cap, 1) * perIteration);
  const states: AslObject = {
    [name('CheckItems')]: {
      Type: 'Choice',
      Choices: [{ Variable: `${result}.total_items`, NumericGreaterThan: cap, Next: name('TooManyItems') }],
      Default: name('Map'),
    },
    [name('TooManyItems')]: {
      Type: 'Fail',
      Error: ErrorName.LoopTooManyItems,
      Cause: `for_loop ${step.name} has more than ${cap} items, the most an inline Map runs within Step Functions' history and payload limits; use claude_batch, whose Distributed Map takes large lists`,
    },
    [name('Map')]: map,
    [name('Done')]: {
      Type: 'Pass',
      Parameters: {
        'total_items.$': `${result}.total_items`,
        'iterations.$': `${result}.iterations`,
        ...(step.break_condition === undefined ? {} : { 'break_index.$': `${result}.break_index` }),
      },
      ResultPath: result,
      ...transition(ctx.next),
    },
  };
  const entry = readByRunner ? runnerEntry(step, source, cap, ctx) : countEntry(step, itemsPath);
  return mergeEmitted(step.name, [entry, { states, specs: {} }, iteration.emitted]);
}

/** `L` as a Pass counting a list already in the state. */
function countEntry(step: ForLoopStep, itemsPath: string): EmittedStep {
  const length = `States.ArrayLength(${itemsPath})`;
  const state = {
    Type: 'Pass',
    Parameters: { 'total_items.$': length, 'last_index.$': `States.MathAdd(${length}, -1)` },
    ResultPath: stepResultPath(step.name),
    Next: helperStateName(step.name, 'CheckItems'),
  };
  return { startAt: step.name, states: { [step.name]: state }, specs: {} };
}

/** `L` as a step-runner Task reading the list (and applying the break) into the state. */
function runnerEntry(step: ForLoopStep, source: TemplateRef, cap: number, ctx: EmitContext): EmittedStep {
  const spec: LoopItemsStepSpec = {
    kind: 'loop_items',
    dataSource: `{{${[source.root, ...source.path].join('.')}}}`,
    iterator: step.iterator,
    maxItems: cap,
    ...(step.break_condition === undefined
      ? {}
      : {
          breakCondition: conditionTree(step.break_condition, [...ctx.path, 'break_condition'], ctx.pipeline),
        }),
  };
  const task = evaluationTask(
    step.name,
    stepResultPath(step.name),
    helperStateName(step.name, 'CheckItems'),
    insideLoop(ctx),
  );
  return { startAt: step.name, states: { [step.name]: task }, specs: { [step.name]: spec } };
}

/** Each iteration's state: the run's state, plus `loop` for this item. */
function itemSelector(step: ForLoopStep, result: string, nested: boolean): AslObject {
  const item = '$$.Map.Item.Value';
  const index = '$$.Map.Item.Index';
  return {
    'run.$': '$.run',
    'inputs.$': '$.inputs',
    'global_vars.$': '$.global_vars',
    'steps.$': '$.steps',
    loop: {
      [`${step.iterator}.$`]: item,
      ...(step.iterator === 'item' ? {} : { 'item.$': item }),
      'index.$': index,
      'total.$': `${result}.total_items`,
      // Booleans from intrinsics: whether the index is in [0], or in [last_index].
      'first.$': `States.ArrayContains(States.Array(0), ${index})`,
      'last.$': `States.ArrayContains(States.Array(${result}.last_index), ${index})`,
      ...(nested ? { 'parent.$': '$.loop' } : {}),
    },
  };
}

/** The data_source as a reference (the loader has checked it and reported any pipeline_ex spelling). */
function dataSourceRef(step: ForLoopStep, ctx: EmitContext): TemplateRef {
  const workflow = ctx.pipeline.workflow;
  const sites = [...allSteps(workflow.steps, [])];
  const variableNames = new Set([
    ...Object.keys(workflow.global_vars ?? {}),
    ...sites.flatMap(({ step: s }) => (s.type === 'set_variable' ? Object.keys(s.variables) : [])),
  ]);
  const { ref } = parseDataSource(step.data_source, {
    stepNames: new Set(sites.map(({ step: s }) => s.name)),
    variableNames,
  });
  if (ref === undefined)
    throw new Error(`internal: data_source of ${step.name} reached the compiler unchecked`);
  return ref;
}

function reportTooLong(step: ForLoopStep, perIteration: number, ctx: EmitContext): void {
  const names = (step.steps as Step[]).map((inner) => inner.name).join(', ');
  ctx.report({
    code: 'HISTORY_TOO_LONG',
    path: [...ctx.path, 'steps'],
    message: `one iteration of for_loop '${step.name}' (${names}) adds about ${perIteration} history events, so not even one item fits Step Functions' quota of ${HISTORY_EVENT_QUOTA}`,
    hint: 'move the body into a nested pipeline step (a child execution has its own history)',
  });
}

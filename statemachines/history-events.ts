import type { AslObject, AslValue } from '../pipelines/contract/spec-bundle.js';

/**
 * Estimates of how many execution history events a sub-graph adds, for the 25,000-event quota of a
 * Standard execution. Loops use it to bound themselves at compile time: a while_loop rejects a
 * `max_iterations` the quota cannot hold, a for_loop caps its items.
 *
 * A state's events: Pass, Choice, Wait, Succeed, Fail 2 (entered, exited); a Lambda Task 5
 * (entered, scheduled, started, succeeded, exited); a Map 4 plus 2 and its processor per item; a
 * Parallel 4 plus each branch. Retries add events too and are not counted: the estimate is of a
 * run without failures, so a loop sized to the quota's edge should leave room.
 */

/** Step Functions' quota of history events for one Standard execution. */
export const HISTORY_EVENT_QUOTA = 25_000;

/** Weights set by the emitter of a state that knows better (a loop's entry state carries the whole loop). */
const weights = new WeakMap<object, number>();

/** Records that running `state` (and the states it leads through, marked 0) adds `events` events. */
export function setEventWeight(state: AslObject, events: number): void {
  weights.set(state, events);
}

/**
 * Events of the longest path through `states` from `startAt` until it leaves them (a transition to
 * a state outside `states`, or an end). Back edges (a while_loop's) are not followed: a loop's
 * entry state carries the weight of all its iterations.
 */
export function longestPathEvents(states: AslObject, startAt: string): number {
  const memo = new Map<string, number>();
  const onPath = new Set<string>();
  const visit = (name: string): number => {
    const state = states[name];
    if (!isObject(state) || onPath.has(name)) return 0;
    const known = memo.get(name);
    if (known !== undefined) return known;
    onPath.add(name);
    const after = Math.max(0, ...successors(state).map(visit));
    onPath.delete(name);
    const total = stateEvents(state) + after;
    memo.set(name, total);
    return total;
  };
  return visit(startAt);
}

/** Events of one state, nested machines included. */
export function stateEvents(state: AslObject): number {
  const weight = weights.get(state);
  if (weight !== undefined) return weight;
  switch (state.Type) {
    case 'Task':
      return 5;
    case 'Map': {
      const processor = (state.ItemProcessor ?? state.Iterator) as AslValue;
      // Unknown item count: one item, a lower bound; loops of known size set their weight.
      return 4 + 2 + machineEvents(processor);
    }
    case 'Parallel': {
      const branches = Array.isArray(state.Branches) ? state.Branches : [];
      return 4 + branches.reduce<number>((sum, branch) => sum + machineEvents(branch), 0);
    }
    default:
      return 2;
  }
}

/** Events of the longest path through a nested state machine (a branch, a Map processor). */
export function machineEvents(machine: AslValue | undefined): number {
  if (!isObject(machine) || !isObject(machine.States)) return 0;
  return longestPathEvents(machine.States, String(machine.StartAt));
}

function successors(state: AslObject): string[] {
  const next = [state.Next, state.Default].filter((target): target is string => typeof target === 'string');
  const choices = Array.isArray(state.Choices) ? state.Choices : [];
  for (const rule of choices) if (isObject(rule) && typeof rule.Next === 'string') next.push(rule.Next);
  return next;
}

function isObject(value: AslValue | undefined): value is AslObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

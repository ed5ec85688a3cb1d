import type { AslObject, AslValue } from '../pipelines/contract/spec-bundle.js';
import { type RetryPolicy, retriersOf } from './policies.js';

/**
 * The policy pass: after every state is emitted, it writes each Task's `Retry` from the policy its
 * emitter asked for (see `RetryPolicy`), so no emitter builds retriers itself. An emitter leaves a
 * request where the `Retry` goes; the request keeps that key's place in the state (the output's key
 * order is part of the byte-identical definition) and rides along when an emitter copies the state
 * (loop context, inlined child names), so the pass can run once, over the finished definitions.
 *
 * Catch rules are not requests: they route to the emitter's own helper states (repair loops,
 * fallback chains), which `qualifyStates` renames, so they are emitted as transitions are.
 */

/** The key of a pending request inside `Retry`; never in a finished definition (asl-validator would refuse it). */
const REQUEST_KEY = 'Elexirion.RetryPolicy';

/** What a Task's emitter puts as its `Retry`: the policy the pass resolves. */
export function retryRequest(policy: RetryPolicy): AslObject {
  return { [REQUEST_KEY]: policy as unknown as AslObject };
}

/**
 * Resolves every Task's retry request in `states`, nested Parallel branches and Map processors
 * included. In place, so the history weights loop emitters recorded on these state objects
 * (`history-events.ts`) stay with them.
 */
export function applyPolicies(states: AslObject): void {
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    if (state.Type === 'Task') state.Retry = resolved(name, state.Retry);
    for (const machine of innerMachines(state)) applyPolicies(asObject(machine.States));
  }
}

function resolved(name: string, retry: AslValue | undefined): AslValue {
  // A state object reached twice is resolved already.
  if (Array.isArray(retry)) return retry;
  const policy = isObject(retry) ? (retry[REQUEST_KEY] as RetryPolicy | undefined) : undefined;
  if (policy === undefined) throw new Error(`internal: Task ${name} was emitted without a retry policy`);
  return retriersOf(policy);
}

function innerMachines(state: AslObject): AslObject[] {
  const branches = Array.isArray(state.Branches) ? state.Branches.filter(isObject) : [];
  const processors = [state.ItemProcessor, state.Iterator].filter(isObject);
  return [...branches, ...processors];
}

function asObject(value: AslValue | undefined): AslObject {
  return isObject(value) ? value : {};
}

function isObject(value: AslValue | undefined): value is AslObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

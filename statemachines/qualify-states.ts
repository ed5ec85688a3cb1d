import type { AslObject, AslValue } from '../pipelines/contract/spec-bundle.js';
import { setEventWeight, stateEvents } from './history-events.js';
import { helperStateName } from './state-names.js';

/**
 * Renames every state of a sub-graph to `PREFIX.NAME`, nested Parallel branches and Map processors
 * included, and rewrites each transition to a renamed state. Step Functions wants state names unique
 * across a whole definition, so a nested pipeline inlined into its parent gets its own names this
 * way. Transitions to states outside the sub-graph are left as they are.
 *
 * @example
 * qualifyStates({ a: { Type: 'Pass', Next: 'after' } }, 'child').states; // { 'child.a': { Type: 'Pass', Next: 'after' } }
 */
export function qualifyStates(
  states: AslObject,
  prefix: string,
): { states: AslObject; rename: (name: string) => string } {
  const names = new Map<string, string>();
  collectNames(states, (name) => names.set(name, helperStateName(prefix, name)));
  const rename = (name: string) => names.get(name) ?? name;
  return { states: renameStates(states, rename), rename };
}

function collectNames(states: AslObject, add: (name: string) => void): void {
  for (const [name, state] of Object.entries(states)) {
    add(name);
    for (const machine of innerMachines(state)) collectNames(asObject(machine.States), add);
  }
}

function renameStates(states: AslObject, rename: (name: string) => string): AslObject {
  return Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      const original = asObject(state);
      const renamed = renameState(original, rename);
      // The history estimate a loop's emitter recorded on its states holds for their copies too.
      setEventWeight(renamed, stateEvents(original));
      return [rename(name), renamed];
    }),
  );
}

function renameState(state: AslObject, rename: (name: string) => string): AslObject {
  const renamed: AslObject = { ...state };
  for (const key of ['Next', 'Default'] as const) {
    const target = state[key];
    if (typeof target === 'string') renamed[key] = rename(target);
  }
  for (const key of ['Choices', 'Catch'] as const) {
    const rules = state[key];
    if (Array.isArray(rules)) renamed[key] = rules.map((rule) => renameNext(asObject(rule), rename));
  }
  if (Array.isArray(state.Branches)) {
    renamed.Branches = state.Branches.map((branch) => renameMachine(asObject(branch), rename));
  }
  for (const key of ['ItemProcessor', 'Iterator'] as const) {
    if (state[key] !== undefined) renamed[key] = renameMachine(asObject(state[key]), rename);
  }
  return renamed;
}

function renameMachine(machine: AslObject, rename: (name: string) => string): AslObject {
  return {
    ...machine,
    StartAt: rename(String(machine.StartAt)),
    States: renameStates(asObject(machine.States), rename),
  };
}

function renameNext(rule: AslObject, rename: (name: string) => string): AslObject {
  return typeof rule.Next === 'string' ? { ...rule, Next: rename(rule.Next) } : rule;
}

function innerMachines(state: AslValue): AslObject[] {
  const value = asObject(state);
  const branches = Array.isArray(value.Branches) ? value.Branches.map(asObject) : [];
  const processors = [value.ItemProcessor, value.Iterator].filter((p) => p !== undefined).map(asObject);
  return [...branches, ...processors];
}

function asObject(value: AslValue | undefined): AslObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

import type { AslObject } from '../pipelines/contract/spec-bundle.js';

/**
 * A copy of a definition that starts at `state`, keeping only the top-level states reachable from it
 * (asl-validator rejects unreachable states). This is how the local engine redrives: the execution
 * resumes at the state where it stopped, with that state's recorded input.
 */
export function resumeDefinition(definition: AslObject, state: string): AslObject {
  const states = (definition.States ?? {}) as Record<string, AslObject>;
  if (!(state in states)) throw new Error(`the definition has no top-level state "${state}" to resume at`);
  const reachable = new Set<string>();
  const pending = [state];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reachable.has(name) || !(name in states)) continue;
    reachable.add(name);
    pending.push(...transitionsOf(states[name] ?? {}));
  }
  return {
    ...structuredClone(definition),
    StartAt: state,
    States: Object.fromEntries(
      Object.entries(states)
        .filter(([name]) => reachable.has(name))
        .map(([name, value]) => [name, structuredClone(value)]),
    ),
  };
}

/** The states a state can go to next: `Next`, `Default`, and each Choice rule's and Catch's `Next`. */
function transitionsOf(state: AslObject): string[] {
  const rules = [...asArray(state.Choices), ...asArray(state.Catch)];
  return [state.Next, state.Default, ...rules.map((rule) => (rule as AslObject).Next)].filter(
    (next): next is string => typeof next === 'string',
  );
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** One state of a definition, wherever it is nested. */
export interface DefinitionState {
  readonly name: string;
  readonly state: Readonly<Record<string, unknown>>;
}

/**
 * Fields of the JSONata dialect and of Variables. aws-local-stepfunctions 3 ignores them without a word
 * (a JSONata Pass just returns its input; aws-facts §4.4), so a definition using them cannot run here.
 * `QueryLanguage: "JSONPath"` alone is harmless: asl-validator even writes it into every state it checks.
 */
const UNSUPPORTED_FIELDS = ['QueryLanguage', 'Assign', 'Arguments', 'Output'] as const;

/**
 * Every state of a definition, including those inside Parallel branches and Map processors, after
 * checking that none uses a JSONata or Variables field.
 */
export function listStates(definition: object): DefinitionState[] {
  const states: DefinitionState[] = [];
  collect(definition as Readonly<Record<string, unknown>>, 'the definition', states);
  return states;
}

function collect(machine: Readonly<Record<string, unknown>>, where: string, into: DefinitionState[]): void {
  rejectUnsupportedFields(machine, where);
  for (const [name, value] of Object.entries(asRecord(machine.States))) {
    const state = asRecord(value);
    into.push({ name, state });
    rejectUnsupportedFields(state, `state "${name}"`);
    for (const rule of [...asArray(state.Choices), ...asArray(state.Catch)]) {
      rejectUnsupportedFields(asRecord(rule), `state "${name}"`);
    }
    for (const branch of asArray(state.Branches))
      collect(asRecord(branch), `a branch of state "${name}"`, into);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor !== undefined) collect(asRecord(processor), `the processor of state "${name}"`, into);
  }
}

function rejectUnsupportedFields(node: Readonly<Record<string, unknown>>, where: string): void {
  const field = UNSUPPORTED_FIELDS.find(
    (name) => name in node && !(name === 'QueryLanguage' && node[name] === 'JSONPath'),
  );
  if (field !== undefined) {
    throw new Error(
      `${where[0]?.toUpperCase()}${where.slice(1)} uses ${field}: JSONata and Variables are not supported by ` +
        'the local executor, which would silently ignore them. Compile the pipeline to JSONPath ASL.',
    );
  }
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

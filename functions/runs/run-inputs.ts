import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import { oversizedInputs } from '../../pipelines/contract/state-limits.js';
import type { InputDecl } from '../../pipelines/contract/step-options.js';

/** A run input that does not fit its declaration, named so the caller can point at it. */
export interface InputProblem {
  readonly input: string;
  readonly message: string;
}

/** The inputs a run starts with, or what is wrong with the ones given. */
export type ResolvedInputs =
  | { readonly ok: true; readonly inputs: Record<string, unknown> }
  | { readonly ok: false; readonly problems: readonly InputProblem[] };

/**
 * Checks run inputs against the pipeline's spec bundle: unknown names, missing required values and
 * wrong types are problems; declared defaults fill the gaps, and optional inputs without one are
 * `null`, so every declared input exists in the run's state. Inputs the state has no room for beside
 * what the steps add (`bundle.stateBytes`) are problems too: Step Functions would fail the run with
 * `States.DataLimitExceeded` only after its first paid steps. Every way of starting a run (the API,
 * triggers, `elexirion run`) resolves its inputs here before it writes anything.
 */
export function resolveRunInputs(
  bundle: Pick<SpecBundle, 'inputs' | 'stateBytes'>,
  given: Record<string, unknown>,
): ResolvedInputs {
  const declared = bundle.inputs;
  const problems: InputProblem[] = [];
  for (const name of Object.keys(given)) {
    if (!(name in declared)) {
      const known = Object.keys(declared);
      problems.push({
        input: name,
        message: `the pipeline declares no input "${name}" (${known.length ? `declared: ${known.join(', ')}` : 'it declares none'})`,
      });
    }
  }
  const inputs: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(declared)) {
    const value = name in given ? given[name] : decl.default;
    if (value === undefined) {
      const required = decl.required ?? true;
      if (required) problems.push({ input: name, message: `the input "${name}" is required (${decl.type})` });
      inputs[name] = null;
      continue;
    }
    if (!hasType(value, decl.type)) {
      problems.push({
        input: name,
        message: `the input "${name}" must be ${article(decl.type)}, got ${JSON.stringify(value)}`,
      });
    }
    inputs[name] = value;
  }
  for (const input of oversizedInputs(inputs, bundle.stateBytes)) {
    problems.push({
      input: input.name,
      message:
        `the input "${input.name}" ${input.reason}; pass large text by reference: put it in an S3 object ` +
        "(e.g. a file in the tenant's workspace, tenants/{tenant}/workspace/) and pass its key instead",
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, inputs };
}

/**
 * Turns a command-line `--input name=value` value into the declared type: numbers, booleans and JSON
 * for objects and arrays; text stays text. Returns the raw string when it cannot convert, so the
 * type check reports it.
 */
export function coerceInputText(text: string, type: InputDecl['type'] | undefined): unknown {
  switch (type) {
    case 'number':
    case 'integer':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'object':
    case 'array':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}

function hasType(value: unknown, type: InputDecl['type']): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

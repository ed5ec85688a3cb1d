import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';

/**
 * JSON Schema handling for `output_schema`: one validator engine (ajv) for the loader, which checks
 * that a schema is itself valid, and for the step runner, which checks answers against it.
 *
 * A schema naming draft-04/06/07 in `$schema` is read as draft-07 (ajv's default dialect, which also
 * reads draft-06 schemas); any other schema, including one without `$schema`, as draft 2020-12.
 * Unknown keywords are allowed (pipeline_ex schemas carry `examples`, `title`, …); known `format`s
 * are checked.
 */

/** A problem in a schema: where inside it (a path relative to the schema's root) and what. */
export interface SchemaProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Engine = Ajv | Ajv2020;

const addFormats = (ajvFormats as unknown as { default: (ajv: Engine) => Engine }).default;
let engines: { readonly draft07: Engine; readonly draft2020: Engine } | undefined;

function engineFor(schema: unknown): Engine {
  engines ??= {
    draft07: addFormats(new Ajv({ allErrors: true, strict: false })),
    draft2020: addFormats(new Ajv2020({ allErrors: true, strict: false })),
  };
  const dialect = isObject(schema) && typeof schema.$schema === 'string' ? schema.$schema : '';
  return /draft-0[467]/.test(dialect) ? engines.draft07 : engines.draft2020;
}

/**
 * Every reason `schema` cannot serve as an `output_schema`: not an object, invalid against its
 * dialect's meta-schema (each problem with its path inside the schema), or not compilable (an
 * unresolvable `$ref`, an unknown `$schema`).
 *
 * @example
 * jsonSchemaProblems({ type: 'object', properties: { n: { type: 'integr' } } });
 * // [{ path: ['properties', 'n', 'type'], message: 'must be equal to one of the allowed values' }, …]
 */
export function jsonSchemaProblems(schema: unknown): SchemaProblem[] {
  if (!isObject(schema)) return [{ path: [], message: 'a JSON Schema is a map, e.g. {type: object}' }];
  const engine = engineFor(schema);
  try {
    if (!engine.validateSchema(schema as AnySchema)) {
      // The meta-schema reports one mistake several ways (enum, type, anyOf); the first says it best.
      const first = new Map<string, ErrorObject>();
      for (const error of engine.errors ?? [])
        if (!first.has(error.instancePath)) first.set(error.instancePath, error);
      return [...first.values()].map((error) => ({
        path: pointerPath(error.instancePath),
        message: describeError(error),
      }));
    }
    // Compiling resolves `$ref`s.
    compileOutputSchema(schema);
    return [];
  } catch (error) {
    return [{ path: [], message: error instanceof Error ? error.message : String(error) }];
  }
}

/**
 * A validator for answers matching `schema`. Compiling is the costly part, so callers keep the
 * result (the step runner, once per spec). ajv's own registry forgets the schema again, so it does
 * not grow with every bundle a process sees and a schema with an `$id` can be compiled twice.
 */
export function compileOutputSchema(schema: Readonly<Record<string, unknown>>): ValidateFunction {
  const engine = engineFor(schema);
  try {
    return engine.compile(schema as AnySchema);
  } finally {
    engine.removeSchema(schema as AnySchema);
  }
}

/**
 * The errors of a failed validation as one line each, paths written from `answer`, e.g.
 * `answer/severity must be equal to one of the allowed values (low, medium, high)`.
 */
export function describeValidationErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `answer${error.instancePath} ${describeError(error)}`).join('\n');
}

function describeError(error: ErrorObject): string {
  const message = error.message ?? 'is invalid';
  const params = error.params as Record<string, unknown>;
  if (Array.isArray(params.allowedValues)) {
    return `${message} (${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')})`;
  }
  if (typeof params.additionalProperty === 'string') return `${message}: '${params.additionalProperty}'`;
  return message;
}

/** `/properties/n/type` as `['properties', 'n', 'type']` (JSON Pointer, RFC 6901). */
function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { ValidateFunction } from 'ajv';
import { compileOutputSchema, describeValidationErrors } from '../../pipelines/output-schema.js';
import { boundedCache } from '../shared/bounded-cache.js';
import { OutputInvalidError } from '../shared/errors.js';
import { parseJsonReply } from './json-reply.js';

/** Compiled validators kept per process, by spec hash; a bundle has a handful of schemas. */
const MAX_CACHED_VALIDATORS = 256;
const validators = boundedCache<string, ValidateFunction>({ maxSize: MAX_CACHED_VALIDATORS });

/**
 * The JSON value of an answer that must match `schema`: the whole reply, or its first fenced
 * ```json block. Throws `Output.Invalid` naming what is wrong (not JSON, or each schema error with
 * its path), which the state machine's repair loop sends back to the model. `specHash` keys the
 * compiled validator, so each spec's schema is compiled once per process.
 *
 * @example
 * validateAnswer('{"severity": "high"}', schema, spec.hash); // { severity: 'high' }
 */
export function validateAnswer(
  text: string,
  schema: Readonly<Record<string, unknown>>,
  specHash: string,
): unknown {
  const data = parseJsonReply(text);
  if (data === undefined) {
    throw new OutputInvalidError(
      'the answer is not JSON: reply with one JSON value only (no prose around it), matching the schema',
    );
  }
  const validate = validatorFor(schema, specHash);
  if (!validate(data)) {
    throw new OutputInvalidError(
      `the answer does not match the output schema:\n${describeValidationErrors(validate.errors)}`,
    );
  }
  return data;
}

function validatorFor(schema: Readonly<Record<string, unknown>>, specHash: string): ValidateFunction {
  return validators.getOrSet(specHash, () => compileOutputSchema(schema));
}

import { ErrorName } from '../../pipelines/contract/errors.js';
import type { LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import { ElexirionError } from '../shared/errors.js';

/**
 * The fields of an LLM answer that later Choice states read, copied into the step's reference in
 * the state (`StepRef.fields`). Choice states read only the state, and answers live in S3; the
 * compiler lists exactly the fields it reads in `spec.exposeFields`, so nothing else of an answer
 * enters the state.
 */

/** Most bytes (as JSON) the exposed fields of one step may take in the state. */
export const EXPOSED_FIELDS_MAX_BYTES = 8 * 1024;

/**
 * The exposed fields of an answer: each field of `spec.exposeFields` that `data` (the parsed JSON
 * answer) has, or undefined when the spec exposes none. A field the answer lacks is left out, and
 * a condition reading it sees `null`, as it would in the step runner. Fields over
 * {@link EXPOSED_FIELDS_MAX_BYTES} fail the step with `Output.FieldsTooLarge` (permanent): a
 * truncated value would make a Choice state decide on something the model did not say.
 *
 * @example
 * exposedFields({ exposeFields: ['severity'] }, { severity: 'high', body: '…' }); // { severity: 'high' }
 */
export function exposedFields(
  spec: Pick<LlmStepSpec, 'exposeFields'>,
  data: unknown,
): Record<string, unknown> | undefined {
  if (spec.exposeFields === undefined || spec.exposeFields.length === 0) return undefined;
  const fields: Record<string, unknown> = {};
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    for (const name of spec.exposeFields) {
      if (Object.hasOwn(data, name)) fields[name] = (data as Record<string, unknown>)[name];
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(fields), 'utf8');
  if (bytes > EXPOSED_FIELDS_MAX_BYTES) {
    throw new ElexirionError(
      ErrorName.OutputFieldsTooLarge,
      `the answer's fields ${spec.exposeFields.join(', ')}, which conditions read, take ${bytes} bytes; ` +
        `at most ${EXPOSED_FIELDS_MAX_BYTES} fit in the state. Compare a smaller field, or test the answer ` +
        'with a function (e.g. length(steps.NAME.field) > 0), which the step runner evaluates from S3',
    );
  }
  return fields;
}

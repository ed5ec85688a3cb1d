import { isDeepStrictEqual } from 'node:util';
import type { ValidateFunction } from 'ajv';
import type { EvaluatorSpec } from '../../pipelines/contract/learning-spec.js';
import { valueAtPath } from '../../pipelines/data-path.js';
import { compileOutputSchema } from '../../pipelines/output-schema.js';

/** A step's answer as evaluators see it: its text, and its JSON (or signature outputs) when it has any. */
export interface Answer {
  readonly text: string;
  readonly data?: unknown;
}

/** An evaluator's verdict: a score from 0 to 1, and why when it is not 1. */
export interface Verdict {
  readonly score: number;
  readonly detail?: string;
}

/** The evaluators decided by the answer alone. */
export type CheckSpec = Extract<
  EvaluatorSpec,
  { kind: 'output_schema' | 'contains' | 'regex' | 'json_path_equals' }
>;

const validators = new WeakMap<object, ValidateFunction>();

/**
 * Scores an answer with a check: `output_schema` validates its JSON, `contains` and `regex` read its
 * text (or the named field), `json_path_equals` compares the value at a path of its JSON. The
 * optimizer's metrics (`optimizer/…/metrics.py`) score predictions the same way.
 *
 * @example
 * checkAnswer({ name: 'c', kind: 'contains', value: 'bill' }, { text: 'billing' }); // { score: 1 }
 */
export function checkAnswer(check: CheckSpec, answer: Answer): Verdict {
  switch (check.kind) {
    case 'output_schema': {
      let validate = validators.get(check.schema);
      if (!validate) {
        validate = compileOutputSchema(check.schema);
        validators.set(check.schema, validate);
      }
      if (answer.data === undefined) return { score: 0, detail: 'the answer is not JSON' };
      return validate(answer.data)
        ? { score: 1 }
        : {
            score: 0,
            detail: `${validate.errors?.[0]?.instancePath || '/'} ${validate.errors?.[0]?.message}`,
          };
    }
    case 'contains': {
      const text = checkedText(answer, check.field);
      const found = check.ignoreCase
        ? text.toLowerCase().includes(check.value.toLowerCase())
        : text.includes(check.value);
      return found ? { score: 1 } : { score: 0, detail: `does not contain ${JSON.stringify(check.value)}` };
    }
    case 'regex':
      return new RegExp(check.pattern).test(checkedText(answer, check.field))
        ? { score: 1 }
        : { score: 0, detail: `does not match /${check.pattern}/` };
    case 'json_path_equals': {
      const path = [...check.path.matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((m) => m[1] ?? m[2] ?? '');
      const value = valueAtPath(answer.data, path);
      return isDeepStrictEqual(value, check.equals)
        ? { score: 1 }
        : { score: 0, detail: `${check.path} is ${JSON.stringify(value) ?? 'missing'}` };
    }
  }
}

/** The text a check reads: a field of the answer's JSON (as JSON unless a string), else the whole text. */
export function checkedText(answer: Answer, field: string | undefined): string {
  if (field === undefined) return answer.text;
  const value = valueAtPath(answer.data, [field]);
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

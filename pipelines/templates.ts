/**
 * The one template grammar of pipeline files: `{{ expr }}`, where the trimmed `expr` is a dotted path
 * under one of three roots.
 *
 * - `inputs.NAME(.field)*`: a declared run input;
 * - `steps.STEP.field(.field)*`: a field of an earlier step's result (`{{steps.plan.text}}`);
 * - `global_vars.NAME(.field)*`: a global variable (declared, or set by an earlier `set_variable` step).
 *
 * There are no functions, arithmetic, built-ins (`{{timestamp}}`) or bare names: each is a parse error
 * whose hint says what to write instead, so nothing renders as an empty string (pipeline_ex defect 6).
 */

import { closestName } from './suggest.js';

/** The namespaces a template can read. */
export type TemplateRoot = 'inputs' | 'steps' | 'global_vars';

/** One `{{…}}` reference. `start`/`end` are offsets of `raw` (the whole `{{…}}`) in the template string. */
export interface TemplateRef {
  readonly root: TemplateRoot;
  /** The dotted path after the root; for `steps`, `path[0]` is the step name. */
  readonly path: readonly string[];
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

/** A template string cut into literal text and references, in order. */
export type TemplateSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly ref: TemplateRef };

/** A malformed template: what is wrong, what to write instead, and where (offsets in the string). */
export interface TemplateError {
  readonly message: string;
  readonly hint?: string;
  readonly start: number;
  readonly end: number;
}

const ROOTS: readonly TemplateRoot[] = ['inputs', 'steps', 'global_vars'];
const PATH_CHARS = /^[A-Za-z0-9_.-]+$/;
const EXAMPLES = '{{inputs.NAME}}, {{steps.STEP.text}} or {{global_vars.NAME}}';

/** pipeline_ex names that have no equivalent here, with what to write instead. */
const BUILT_INS: ReadonlyMap<string, string> = new Map([
  ['timestamp', 'declare an input (workflow.inputs.timestamp) and write {{inputs.timestamp}}'],
  ['execution_id', 'declare an input (workflow.inputs.execution_id) and write {{inputs.execution_id}}'],
  ['workflow', 'write the value literally, or declare an input and write {{inputs.NAME}}'],
  ['loop', 'loops are not supported in this version; pass the value as an input or a global variable'],
]);

type Expression =
  | { readonly root: TemplateRoot; readonly path: string[] }
  | Omit<TemplateError, 'start' | 'end'>;

/**
 * Cuts `text` into literal text and `{{…}}` references, reporting every malformed template. A
 * malformed template stays in the text segments, so the segments always cover the whole string.
 *
 * @example
 * parseTemplate('Plan for {{ inputs.repo }}').segments;
 * // [{ kind: 'text', text: 'Plan for ' },
 * //  { kind: 'ref', ref: { root: 'inputs', path: ['repo'], raw: '{{ inputs.repo }}', start: 9, end: 26 } }]
 */
export function parseTemplate(text: string): { segments: TemplateSegment[]; errors: TemplateError[] } {
  const segments: TemplateSegment[] = [];
  const errors: TemplateError[] = [];
  let textStart = 0;
  let open = text.indexOf('{{');
  while (open !== -1) {
    const close = text.indexOf('}}', open + 2);
    if (close === -1) {
      errors.push({
        message: 'unclosed "{{": a template ends with "}}"',
        hint: `close it, e.g. ${EXAMPLES}`,
        start: open,
        end: text.length,
      });
      break;
    }
    const end = close + 2;
    const expression = parseExpression(text.slice(open + 2, close).trim());
    if ('root' in expression) {
      if (open > textStart) segments.push({ kind: 'text', text: text.slice(textStart, open) });
      const ref: TemplateRef = { ...expression, raw: text.slice(open, end), start: open, end };
      segments.push({ kind: 'ref', ref });
      textStart = end;
    } else {
      errors.push({ ...expression, start: open, end });
    }
    open = text.indexOf('{{', end);
  }
  if (textStart < text.length) segments.push({ kind: 'text', text: text.slice(textStart) });
  return { segments, errors };
}

function parseExpression(expression: string): Expression {
  if (expression === '') return { message: 'empty template "{{}}"', hint: `write ${EXAMPLES}` };
  if (expression.startsWith('previous_response:')) {
    const step = expression.slice('previous_response:'.length).split(':')[0] || 'STEP';
    return {
      message: `"${expression}" is not a template path`,
      hint: `write {{steps.${step}.text}}, or add a prompt part {type: previous_response, step: ${step}}`,
    };
  }
  if (!PATH_CHARS.test(expression)) {
    return {
      message: `"${expression}" is not a path: templates hold a dotted path only, not functions or expressions`,
      hint: `compute the value in an earlier step or pass it as an input, then write ${EXAMPLES}`,
    };
  }
  const [head = '', ...path] = expression.split('.');
  if (path.some((segment) => segment === '')) {
    return { message: `"${expression}" has an empty path segment`, hint: `write ${EXAMPLES}` };
  }
  const root = ROOTS.find((candidate) => candidate === head);
  if (root === undefined) return unknownRoot(head, path, expression);
  if (root === 'steps' && path.length < 2) {
    const step = path[0] ?? 'STEP';
    return {
      message: `{{${expression}}} names no field of the step`,
      hint: `write {{steps.${step}.text}} for the step's response text`,
    };
  }
  if (path.length === 0) {
    return {
      message: `{{${expression}}} names no ${root === 'inputs' ? 'input' : 'variable'}`,
      hint: `write {{${root}.NAME}}`,
    };
  }
  return { root, path };
}

function unknownRoot(head: string, path: readonly string[], expression: string): Expression {
  const message = `unknown template root '${head}': a template starts with inputs., steps. or global_vars.`;
  const builtIn = BUILT_INS.get(head);
  if (builtIn !== undefined) return { message: `'${head}' is not supported in templates`, hint: builtIn };
  if (head === 'state') {
    return {
      message,
      hint: `pipeline_ex's state variables are global variables here: write {{global_vars.${path.join('.') || 'NAME'}}}`,
    };
  }
  const closest = closestName(head, ROOTS);
  if (closest !== undefined) return { message, hint: `write {{${[closest, ...path].join('.')}}}` };
  if (path.length === 0) {
    return {
      message,
      hint: `write {{inputs.${head}}} for a run input or {{global_vars.${head}}} for a variable`,
    };
  }
  return { message, hint: `to read a step's result, write {{steps.${expression}}}` };
}

/**
 * Renders parsed segments, asking `resolve` for each reference's value. Strings are inserted as they
 * are, numbers and booleans with `String`, `null` as `null`, objects and arrays as indented JSON.
 * `resolve` must throw its own error when a value does not exist; `undefined` is rejected.
 *
 * @example
 * renderTemplate(parseTemplate('Hi {{inputs.name}}').segments, () => 'Ada'); // 'Hi Ada'
 */
export function renderTemplate(
  segments: readonly TemplateSegment[],
  resolve: (ref: TemplateRef) => unknown,
): string {
  return segments
    .map((segment) =>
      segment.kind === 'text' ? segment.text : renderValue(segment.ref, resolve(segment.ref)),
    )
    .join('');
}

function renderValue(ref: TemplateRef, value: unknown): string {
  if (value === undefined) throw new TypeError(`template ${ref.raw} resolved to undefined`);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/**
 * The reference when `text` is exactly one template (whitespace around it allowed). Such a value is
 * replaced by the referenced value itself, keeping its type (pipeline_ex defect 8), instead of being
 * rendered into a string.
 *
 * @example
 * wholeValueRef(' {{steps.plan.items}} ')?.path; // ['plan', 'items']
 * wholeValueRef('items: {{steps.plan.items}}'); // undefined
 */
export function wholeValueRef(text: string): TemplateRef | undefined {
  const { segments, errors } = parseTemplate(text);
  if (errors.length > 0) return undefined;
  const refs = segments.flatMap((segment) => (segment.kind === 'ref' ? [segment.ref] : []));
  const onlyBlanks = segments.every((segment) => segment.kind === 'ref' || segment.text.trim() === '');
  return refs.length === 1 && onlyBlanks ? refs[0] : undefined;
}

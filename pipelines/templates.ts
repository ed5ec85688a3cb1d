/**
 * The one template grammar of pipeline files: `{{ expr }}`, where the trimmed `expr` is a dotted path
 * under one of four roots, or a call of one of the arithmetic functions of `template-functions.ts`
 * whose arguments are numbers or such paths (`{{multiply(inputs.count, 2)}}`).
 *
 * - `inputs.NAME(.field)*`: a declared run input;
 * - `steps.STEP.field(.field)*`: a field of an earlier step's result (`{{steps.plan.text}}`);
 * - `global_vars.NAME(.field)*`: a global variable (declared, or set by an earlier `set_variable` step);
 * - `loop.NAME(.field)*`: inside a loop body, the current iteration (`{{loop.ITERATOR}}`, `{{loop.index}}`).
 *
 * There are no other functions, operators, built-ins (`{{timestamp}}`) or bare names: each is a parse error
 * whose hint says what to write instead, so nothing renders as an empty string (pipeline_ex defect 6).
 */

import { describeArity, TEMPLATE_FUNCTIONS } from './conditions/functions.js';
import { parseCondition } from './conditions/parser.js';
import type { Expr } from './contract/condition-ast.js';
import { closestName } from './suggest.js';
import {
  applyTemplateFunction,
  TEMPLATE_FUNCTION_NAMES,
  type TemplateFunctionName,
  templateFunction,
} from './template-functions.js';

/** The namespaces a template can read. */
export type TemplateRoot = 'inputs' | 'steps' | 'global_vars' | 'loop';

/** One `{{…}}` reference. `start`/`end` are offsets of `raw` (the whole `{{…}}`) in the template string. */
export interface TemplateRef {
  readonly root: TemplateRoot;
  /** The dotted path after the root; for `steps`, `path[0]` is the step name. */
  readonly path: readonly string[];
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

/** An argument of a function call: a number, or a reference (its range is the whole call's). */
export type TemplateArg =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'ref'; readonly ref: TemplateRef };

/** One `{{fn(arg, …)}}` call. `start`/`end` are offsets of `raw` (the whole `{{…}}`) in the template string. */
export interface TemplateCall {
  readonly fn: TemplateFunctionName;
  readonly args: readonly TemplateArg[];
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

/** A template string cut into literal text, references and function calls, in order. */
export type TemplateSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly ref: TemplateRef }
  | { readonly kind: 'call'; readonly call: TemplateCall };

/** A malformed template: what is wrong, what to write instead, and where (offsets in the string). */
export interface TemplateError {
  readonly message: string;
  readonly hint?: string;
  readonly start: number;
  readonly end: number;
}

const ROOTS: readonly TemplateRoot[] = ['inputs', 'steps', 'global_vars', 'loop'];
const PATH_CHARS = /^[A-Za-z0-9_.-]+$/;
const EXAMPLES = '{{inputs.NAME}}, {{steps.STEP.text}} or {{global_vars.NAME}}';

/** pipeline_ex names that have no equivalent here, with what to write instead. */
const BUILT_INS: ReadonlyMap<string, string> = new Map([
  ['timestamp', 'declare an input (workflow.inputs.timestamp) and write {{inputs.timestamp}}'],
  ['execution_id', 'declare an input (workflow.inputs.execution_id) and write {{inputs.execution_id}}'],
  ['workflow', 'write the value literally, or declare an input and write {{inputs.NAME}}'],
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
    const inner = text.slice(open + 2, close).trim();
    const raw = text.slice(open, end);
    const call = CALL.exec(inner);
    const expression = call ? parseCall(call[1] ?? '', inner, raw, open, end) : parseExpression(inner);
    if ('fn' in expression || 'root' in expression) {
      if (open > textStart) segments.push({ kind: 'text', text: text.slice(textStart, open) });
      segments.push(
        'fn' in expression
          ? { kind: 'call', call: expression }
          : { kind: 'ref', ref: { ...expression, raw, start: open, end } },
      );
      textStart = end;
    } else {
      errors.push({ ...expression, start: open, end });
    }
    open = text.indexOf('{{', end);
  }
  if (textStart < text.length) segments.push({ kind: 'text', text: text.slice(textStart) });
  return { segments, errors };
}

/** A body that is a call: a name, `(`, and `)` at the end; the conditions parser reads the rest. */
const CALL = /^([A-Za-z_][A-Za-z0-9_]*)\s*\([\s\S]*\)$/;

/**
 * `fn(a, b)`: a known function called with an allowed arity, its arguments numbers or paths. The
 * body is parsed by the conditions parser as a call expression, with the template functions, so an
 * argument is what it is in a condition; templates then accept only number literals and paths.
 */
function parseCall(
  name: string,
  body: string,
  raw: string,
  start: number,
  end: number,
): TemplateCall | Omit<TemplateError, 'start' | 'end'> {
  const fn = templateFunction(name);
  if (fn === undefined) {
    const closest = closestName(name, TEMPLATE_FUNCTION_NAMES);
    return {
      message: `unknown template function '${name}'`,
      hint: `${closest ? `did you mean '${closest}'? ` : ''}functions: ${TEMPLATE_FUNCTION_NAMES.join(', ')}`,
    };
  }
  const parsed = parseCondition(body, 0, { functions: TEMPLATE_FUNCTIONS, checkArity: false });
  if (parsed.error !== undefined) {
    return {
      message: `in ${name}(): ${parsed.error.message}`,
      hint: parsed.error.hint ?? `write ${fn.usage}`,
    };
  }
  const expr = parsed.expr;
  if (expr?.kind !== 'call' || expr.name !== name) {
    return {
      message: `"${body}" is not one call of ${name}(): templates hold a path or one function call`,
      hint: `compute the value in an earlier step or pass it as an input, then write ${fn.usage}`,
    };
  }
  if (expr.args.length < fn.minArgs || expr.args.length > fn.maxArgs) {
    return {
      message: `${name}() takes ${describeArity(fn)}, not ${expr.args.length}`,
      hint: `write ${fn.usage}`,
    };
  }
  const args: TemplateArg[] = [];
  for (const [index, node] of expr.args.entries()) {
    const text = body.slice(node.start, node.end);
    const number = numberOf(node);
    if (number !== undefined) {
      args.push({ kind: 'number', value: number });
      continue;
    }
    const path = pathOf(node, text);
    if (path === undefined) {
      return {
        message: `in ${name}(): argument ${index + 1} "${text}" is not a number or a path`,
        hint: `write ${fn.usage} with numbers or paths such as inputs.NAME`,
      };
    }
    const expression = parseExpression(path);
    if (!('root' in expression)) return { ...expression, message: `in ${name}(): ${expression.message}` };
    args.push({ kind: 'ref', ref: { ...expression, raw: path, start, end } });
  }
  return { fn: name as TemplateFunctionName, args, raw, start, end };
}

/** A number literal argument (`2`, `-1.5`), or undefined. */
function numberOf(node: Expr): number | undefined {
  if (node.kind === 'literal') return typeof node.value === 'number' ? node.value : undefined;
  if (node.kind === 'negate' && node.operand.kind === 'literal' && typeof node.operand.value === 'number')
    return -node.operand.value;
  return undefined;
}

/**
 * The dotted path an argument is, or undefined. The conditions parser reads a trailing `.length`
 * as the length function; in a template it stays the path it is written as (a list's `length`).
 */
function pathOf(node: Expr, text: string): string | undefined {
  if (node.kind === 'path') return node.segments.join('.');
  const [target] = node.kind === 'call' ? node.args : [];
  if (node.kind === 'call' && node.name === 'length' && target?.kind === 'path' && text.endsWith('.length'))
    return [...target.segments, 'length'].join('.');
  return undefined;
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
      message: `{{${expression}}} names no ${root === 'inputs' ? 'input' : root === 'loop' ? 'loop field' : 'variable'}`,
      hint: `write {{${root}.NAME}}`,
    };
  }
  return { root, path };
}

function unknownRoot(head: string, path: readonly string[], expression: string): Expression {
  const message = `unknown template root '${head}': a template starts with inputs., steps., global_vars. or loop.`;
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
    .map((segment) => {
      if (segment.kind === 'text') return segment.text;
      if (segment.kind === 'call') return String(evaluateCall(segment.call, resolve));
      return renderValue(segment.ref, resolve(segment.ref));
    })
    .join('');
}

/**
 * The number a call yields, its reference arguments resolved by `resolve`. Throws a `TypeError` when
 * an argument is not a number and a `RangeError` on division by zero.
 */
export function evaluateCall(call: TemplateCall, resolve: (ref: TemplateRef) => unknown): number {
  const args = call.args.map((arg) => (arg.kind === 'number' ? arg.value : resolve(arg.ref)));
  return applyTemplateFunction(call.fn, args);
}

/** Every reference in `segments`, those in function arguments included. */
export function segmentRefs(segments: readonly TemplateSegment[]): TemplateRef[] {
  return segments.flatMap((segment) => {
    if (segment.kind === 'ref') return [segment.ref];
    if (segment.kind === 'call')
      return segment.call.args.flatMap((arg) => (arg.kind === 'ref' ? [arg.ref] : []));
    return [];
  });
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
  const whole = wholeValueTemplate(text);
  return whole?.kind === 'ref' ? whole.ref : undefined;
}

/**
 * The one reference or function call `text` consists of (whitespace around it allowed), or undefined.
 * A whole call yields its number, as a whole reference yields the referenced value.
 *
 * @example
 * wholeValueTemplate('{{multiply(inputs.n, 2)}}')?.kind; // 'call'
 */
export function wholeValueTemplate(
  text: string,
): Exclude<TemplateSegment, { readonly kind: 'text' }> | undefined {
  const { segments, errors } = parseTemplate(text);
  if (errors.length > 0) return undefined;
  const templates = segments.flatMap((segment) => (segment.kind === 'text' ? [] : [segment]));
  const onlyBlanks = segments.every((segment) => segment.kind !== 'text' || segment.text.trim() === '');
  return templates.length === 1 && onlyBlanks ? templates[0] : undefined;
}

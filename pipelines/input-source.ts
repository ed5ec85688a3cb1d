import type { Step, Workflow } from './schema.js';
import { allSteps } from './step-tree.js';
import { wholeValueTemplate } from './templates.js';

/**
 * Where a `data_transform` reads its data (`input_source`, and `right_source` of a join). The
 * preferred spelling is one template (`{{steps.orders.items}}`, `{{inputs.rows}}`). pipeline_ex's
 * spellings still load, with a deprecation warning showing the template they mean:
 *
 * | legacy | means |
 * |---|---|
 * | `previous_response:STEP` | the step's whole result: `{{steps.STEP.result}}` (test_echo) or `{{steps.STEP.OUTPUT_FIELD}}` (data_transform) |
 * | `previous_response:STEP:a.b` | `{{steps.STEP.a.b}}` |
 * | `previous_response:STEP.a.b` | `{{steps.STEP.a.b}}` (pipeline_ex does not resolve this form; we do) |
 * | `context:NAME.a` | `{{global_vars.NAME.a}}`, or `{{inputs.NAME.a}}` for an input |
 * | `NAME` | a global variable, an input, or a step, in that order (pipeline_ex's lookup order) |
 */

/** What a source may name: earlier steps (with what their whole result is), inputs and variables. */
export interface InputSourceNames {
  /** The step named `name`, with its type and, for a data_transform, its output field. */
  step(name: string): { readonly type: string; readonly outputField?: string } | undefined;
  readonly inputs: ReadonlySet<string>;
  readonly globalVars: ReadonlySet<string>;
}

/** How a source resolves: to a template (with a warning when it was a legacy spelling), or an error. */
export type InputSourceResolution =
  | { readonly kind: 'template'; readonly template: string }
  | { readonly kind: 'legacy'; readonly template: string; readonly message: string }
  | {
      readonly kind: 'error';
      readonly code: 'UNKNOWN_REFERENCE' | 'INVALID_VALUE';
      readonly message: string;
      readonly hint: string;
    };

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FIELD_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * Resolves a source to the one template it means.
 *
 * @example
 * resolveInputSource('previous_response:fetch:orders', names);
 * // { kind: 'legacy', template: '{{steps.fetch.orders}}', message: '… write {{steps.fetch.orders}}' }
 */
export function resolveInputSource(text: string, names: InputSourceNames): InputSourceResolution {
  const source = text.trim();
  if (source.includes('{{')) {
    if (wholeValueTemplate(source) !== undefined) return { kind: 'template', template: source };
    return invalid(
      `"${text}" is not one template`,
      'write one template and nothing else, e.g. {{steps.fetch.orders}}',
    );
  }
  const prefixed = /^(previous_response|context):(.*)$/.exec(source);
  if (prefixed?.[1] === 'previous_response') return previousResponse(text, prefixed[2] ?? '', names);
  if (prefixed?.[1] === 'context') return contextField(text, prefixed[2] ?? '', names);
  return bareName(text, source, names);
}

function previousResponse(text: string, rest: string, names: InputSourceNames): InputSourceResolution {
  const colon = rest.indexOf(':');
  const dot = rest.indexOf('.');
  if (colon !== -1) return stepField(text, rest.slice(0, colon), rest.slice(colon + 1), names, '');
  if (dot !== -1) {
    // Step names hold no dots, so `STEP.a.b` can only mean field a.b of STEP.
    return stepField(
      text,
      rest.slice(0, dot),
      rest.slice(dot + 1),
      names,
      ' (pipeline_ex does not resolve this dotted form)',
    );
  }
  return wholeStep(text, rest, names);
}

function stepField(
  text: string,
  step: string,
  field: string,
  names: InputSourceNames,
  note: string,
): InputSourceResolution {
  const unknown = unknownStep(step, names);
  if (unknown) return unknown;
  if (!FIELD_PATH.test(field))
    return invalid(`"${field}" is not a field path`, 'write a dot path such as orders.items');
  return legacy(text, `{{steps.${step}.${field}}}`, note);
}

function wholeStep(text: string, step: string, names: InputSourceNames): InputSourceResolution {
  const unknown = unknownStep(step, names);
  if (unknown) return unknown;
  const found = names.step(step);
  if (found?.type === 'test_echo') return legacy(text, `{{steps.${step}.result}}`, '');
  if (found?.type === 'data_transform')
    return legacy(text, `{{steps.${step}.${found.outputField ?? step}}}`, '');
  return invalid(
    `"${text}" names the whole result of ${found?.type} step '${step}', which is not one value`,
    `name the field to read: previous_response:${step}:FIELD, i.e. {{steps.${step}.FIELD}}`,
  );
}

function contextField(text: string, rest: string, names: InputSourceNames): InputSourceResolution {
  if (!FIELD_PATH.test(rest))
    return invalid(`"${rest}" is not a field path`, 'write context:NAME or context:NAME.field');
  const [head = ''] = rest.split('.');
  if (names.globalVars.has(head)) return legacy(text, `{{global_vars.${rest}}}`, '');
  if (names.inputs.has(head)) return legacy(text, `{{inputs.${rest}}}`, '');
  return {
    kind: 'error',
    code: 'UNKNOWN_REFERENCE',
    message: `"${text}" names no global variable or input '${head}'`,
    hint: 'declare it under workflow.global_vars or workflow.inputs, or set it in an earlier set_variable step',
  };
}

function bareName(text: string, source: string, names: InputSourceNames): InputSourceResolution {
  const [head = '', ...rest] = source.split('.');
  if (!NAME.test(head) || !rest.every((field) => FIELD_PATH.test(field))) {
    return invalid(`"${text}" is not an input source`, 'write one template such as {{steps.fetch.orders}}');
  }
  const path = source;
  if (names.globalVars.has(head)) return legacy(text, `{{global_vars.${path}}}`, '');
  if (names.inputs.has(head)) return legacy(text, `{{inputs.${path}}}`, '');
  if (rest.length > 0) return stepField(text, head, rest.join('.'), names, '');
  return wholeStep(text, head, names);
}

function unknownStep(step: string, names: InputSourceNames): InputSourceResolution | undefined {
  if (names.step(step) !== undefined) return undefined;
  return {
    kind: 'error',
    code: 'UNKNOWN_REFERENCE',
    message: `no step, input or global variable is named '${step}'`,
    hint: 'name an earlier step, e.g. {{steps.STEP.FIELD}}',
  };
}

function legacy(text: string, template: string, note: string): InputSourceResolution {
  return {
    kind: 'legacy',
    template,
    message: `"${text}" is pipeline_ex's spelling${note}; write ${template}`,
  };
}

function invalid(message: string, hint: string): InputSourceResolution {
  return { kind: 'error', code: 'INVALID_VALUE', message, hint };
}

/**
 * The names a source may read in a workflow: its steps (at any depth of loops and branches), its
 * inputs, and its global variables (declared, or set by any set_variable step). The compiler uses
 * it once the loader has checked that each source names an earlier step.
 */
export function inputSourceNamesOf(workflow: Workflow): InputSourceNames {
  const steps = new Map<string, { type: string; outputField?: string }>();
  const globalVars = new Set(Object.keys(workflow.global_vars ?? {}));
  for (const { step } of allSteps(workflow.steps, ['workflow', 'steps'])) {
    if (!steps.has(step.name)) steps.set(step.name, stepSummary(step));
    if (step.type === 'set_variable') for (const name of Object.keys(step.variables)) globalVars.add(name);
  }
  return { step: (name) => steps.get(name), inputs: new Set(Object.keys(workflow.inputs ?? {})), globalVars };
}

/** A step as a source sees it: its type, and for a data_transform the field its result is under. */
export function stepSummary(step: Step): { type: string; outputField?: string } {
  return step.type === 'data_transform'
    ? { type: step.type, outputField: step.output_field ?? step.name }
    : { type: step.type };
}

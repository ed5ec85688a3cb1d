import { parseTemplate, type TemplateRef, wholeValueRef } from './templates.js';

/**
 * `for_loop.data_source`: the list a loop iterates. The one spelling is a whole-value template,
 * `{{steps.STEP.field}}`, `{{inputs.NAME}}`, `{{global_vars.NAME}}` or `{{loop.NAME}}`. pipeline_ex's
 * spellings (§9.1, none of them a template) load with a deprecation warning that shows the
 * preferred form: `STEP:field.path`, `previous_response:STEP:field.path`, and a bare variable name.
 */

/** A problem with a data_source, at offsets of its text. */
export interface DataSourceIssue {
  readonly code: 'DEPRECATED_SYNTAX' | 'BAD_TEMPLATE';
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint: string;
  readonly start: number;
  readonly end: number;
}

/** What a data_source names (absent when it names nothing usable) and the issue with it, if any. */
export interface ParsedDataSource {
  readonly ref?: TemplateRef;
  readonly issue?: DataSourceIssue;
}

/** Names the legacy spellings can refer to. */
export interface DataSourceNames {
  readonly stepNames: ReadonlySet<string>;
  readonly variableNames: ReadonlySet<string>;
}

const LEGACY_PATH = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

/**
 * Parses a data_source.
 *
 * @example
 * parseDataSource('{{steps.scan.files}}', names).ref?.path; // ['scan', 'files']
 * parseDataSource('scan:files', names).issue?.hint; // 'write {{steps.scan.files}}'
 */
export function parseDataSource(text: string, names: DataSourceNames): ParsedDataSource {
  const whole = wholeValueRef(text);
  if (whole !== undefined) return { ref: whole };
  if (text.includes('{{')) {
    const { errors } = parseTemplate(text);
    const first = errors[0];
    return {
      issue: error(
        first?.message ?? 'data_source is one template naming a list, with no text around it',
        first?.hint ?? 'write e.g. {{steps.STEP.items}} or {{inputs.NAME}}',
        first?.start ?? 0,
        first?.end ?? text.length,
      ),
    };
  }
  const legacy = legacyRef(text.trim(), names);
  if (typeof legacy === 'string')
    return { issue: error(`data_source "${text}" names no list`, legacy, 0, text.length) };
  const preferred = `{{${[legacy.root, ...legacy.path].join('.')}}}`;
  const ref: TemplateRef = { ...legacy, raw: text, start: 0, end: text.length };
  return {
    ref,
    issue: {
      code: 'DEPRECATED_SYNTAX',
      severity: 'warning',
      message: `pipeline_ex's data_source "${text}" is written ${preferred} here`,
      hint: `write ${preferred}`,
      start: 0,
      end: text.length,
    },
  };
}

/** The reference a legacy spelling means, or the hint explaining why it means none. */
function legacyRef(
  text: string,
  names: DataSourceNames,
): { root: TemplateRef['root']; path: string[] } | string {
  const parts = text.split(':');
  const [head = '', ...rest] = parts;
  if (head === 'previous_response') {
    const [step = '', field = ''] = rest;
    if (step === '' || field === '' || !LEGACY_PATH.test(field) || rest.length > 2) {
      return `name the step and the field of its result: {{steps.${step || 'STEP'}.FIELD}}`;
    }
    return { root: 'steps', path: [step, ...field.split('.')] };
  }
  if (parts.length === 2 && LEGACY_PATH.test(head) && LEGACY_PATH.test(rest[0] ?? '')) {
    return { root: 'steps', path: [head, ...(rest[0] as string).split('.')] };
  }
  if (parts.length === 1 && LEGACY_PATH.test(head)) {
    const [name = '', ...path] = head.split('.');
    if (names.variableNames.has(name)) return { root: 'global_vars', path: [name, ...path] };
    if (names.stepNames.has(name) && path.length > 0) return { root: 'steps', path: [name, ...path] };
    if (names.stepNames.has(name)) return `name a field of the step's result: {{steps.${name}.FIELD}}`;
  }
  return 'write {{steps.STEP.field}}, {{inputs.NAME}} or {{global_vars.NAME}}';
}

function error(message: string, hint: string, start: number, end: number): DataSourceIssue {
  return { code: 'BAD_TEMPLATE', severity: 'error', message, hint, start, end };
}

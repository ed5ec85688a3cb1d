import { z } from 'zod';
import { valueAtPath } from './data-path.js';
import { fieldName, pipelineError, shownName } from './issues.js';
import { type FieldSite, unsupportedField } from './pipeline-ex-fields.js';
import { PipelineFileSchema } from './schema.js';
import { operationHint } from './steps/data-transform.js';
import { didYouMean } from './suggest.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/**
 * Turns zod's issues on a pipeline file into `PipelineIssue`s: a stable code, the YAML range of the
 * node at fault, a message in the file's vocabulary (map, list) and a hint saying what to write.
 */

/** pipeline_ex step types this version does not run, with advice where one of ours fits. */
const PIPELINE_EX_STEP_TYPES: ReadonlyMap<string, string> = new Map([
  ['data_transform', ''],
  ['file_ops', ''],
  ['pipeline', ''],
  ['test_echo', 'use type: set_variable for a fixed value'],
  ['checkpoint', ''],
  // pipeline_ex's loop runner would crash on these (defect 22); loops here stop and skip by condition.
  ['break', "use the for_loop's break_condition (or a while_loop's condition)"],
  ['continue', "use the for_loop's continue_condition, or a condition: on the steps to skip"],
  ['codebase_query', ''],
]);

/** pipeline_ex prompt part types this version does not render (they render "" there: defect 24). */
const PIPELINE_EX_PART_TYPES: ReadonlyMap<string, string> = new Map([
  [
    'claude_continue',
    'to continue a conversation, use a claude_session step with session_config.session_name: NAME, ' +
      'whose prompt is the next message',
  ],
]);

const MISSING_FIELD_EXAMPLES: ReadonlyMap<string, string> = new Map([
  ['workflow', 'workflow: {name: my_pipeline, steps: [...]}'],
  ['name', 'name: my_name'],
  ['steps', 'steps: [{name: first, type: claude, prompt: [{type: static, content: "..."}]}]'],
  ['prompt', 'prompt: [{type: static, content: "..."}]'],
  ['content', 'content: "text of the part"'],
  ['path', 'path: prompts/part.md (relative to the pipeline file)'],
  ['step', 'step: NAME_OF_AN_EARLIER_STEP'],
  ['variables', 'variables: {NAME: value}'],
]);

const YAML_KINDS: ReadonlyMap<string, string> = new Map([
  ['object', 'a map'],
  ['array', 'a list'],
  ['record', 'a map'],
  ['string', 'a string'],
  ['number', 'a number'],
  ['int', 'an integer'],
  ['boolean', 'true or false'],
]);

/**
 * Issues for a file that failed `PipelineFileSchema`. A file without a `workflow:` map at its root
 * yields that one issue (MISSING_WORKFLOW), since every other complaint would follow from it.
 */
export function schemaIssues(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  locate: YamlLocator,
): PipelineIssue[] {
  if (!isMap(data) || !('workflow' in data)) return [missingWorkflow(data, locate)];
  return issues.flatMap((issue) => describeIssue(issue, data, locate));
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown, locate: YamlLocator): PipelineIssue[] {
  const path = issue.path.filter((segment) => typeof segment !== 'symbol');
  const value = valueAtPath(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownField([...path, key], data, locate));
    case 'invalid_union': {
      if (issue.discriminator === undefined) {
        if (value === undefined) return [missingField(path, locate)];
        // A value of the right kind for one alternative (`fallback_action: cached`) is best explained
        // by that alternative's own issue; so is a value whose problems lie inside it (a prompt part
        // without content). Wrong kinds for every alternative are listed.
        const specific = issue.errors.flat().find((inner) => inner.code !== 'invalid_type');
        const within = (inner: z.core.$ZodIssue) => ({ ...inner, path: [...issue.path, ...inner.path] });
        if (specific !== undefined) return describeIssue(within(specific), data, locate);
        const fitting = issue.errors.find((inner) => inner.every((one) => one.path.length > 0));
        if (fitting !== undefined)
          return fitting.flatMap((inner) => describeIssue(within(inner), data, locate));
        const kinds = issue.errors.flat().flatMap((inner) => ('expected' in inner ? [inner.expected] : []));
        if (kinds.length === 0) break;
        const expected = [...new Set(kinds.map((kind) => YAML_KINDS.get(kind) ?? kind))].join(' or ');
        return [invalidValue(path, `${fieldName(path)} must be ${expected}, not ${kindOf(value)}`, locate)];
      }
      if (value === undefined) return [missingField(path, locate)];
      if (path.at(-1) === 'operation') {
        const hint = operationHint(
          String(value),
          ('options' in issue ? (issue.options ?? []) : []).map(String),
        );
        return [
          invalidValue(path, `unknown data_transform operation ${JSON.stringify(value)}`, locate, hint),
        ];
      }
      return [
        unknownType(path, value, ('options' in issue ? (issue.options ?? []) : []).map(String), locate),
      ];
    }
    case 'invalid_key':
      return [
        pipelineError({
          code: 'INVALID_VALUE',
          message: `'${String(path.at(-1))}' is not a valid name in ${fieldName(path.slice(0, -1))}`,
          hint: issue.issues[0]?.message,
          path,
          range: locate.key(path),
        }),
      ];
    case 'invalid_type':
      if (value === undefined) return [missingField(path, locate)];
      return [invalidType(path, value, issue.expected, locate)];
    case 'invalid_value': {
      const options = issue.values.map(String);
      const hint = `${didYouMean(String(value), options)}write one of: ${options.join(', ')}`;
      const shown = typeof value === 'string' ? shownName(value) : JSON.stringify(value);
      return [invalidValue(path, `${fieldName(path)} cannot be ${shown}`, locate, hint)];
    }
  }
  return [invalidValue(path, `${fieldName(path)}: ${issue.message}`, locate)];
}

function missingWorkflow(data: unknown, locate: YamlLocator): PipelineIssue {
  const found = isMap(data) ? Object.keys(data) : [];
  return pipelineError({
    code: 'MISSING_WORKFLOW',
    message: `the file has no 'workflow:' map at its root${found.length > 0 ? ` (found: ${found.join(', ')})` : ''}`,
    hint: `put the pipeline under one root key: ${MISSING_FIELD_EXAMPLES.get('workflow')}`,
    path: ['workflow'],
    range: locate.value([]),
  });
}

function missingField(path: FieldPath, locate: YamlLocator): PipelineIssue {
  const parent = path.slice(0, -1);
  const key = String(path.at(-1));
  const inPrompt = parent.at(-2) === 'prompt';
  const typeExample = inPrompt ? 'type: static' : 'type: claude';
  return pipelineError({
    code: 'MISSING_FIELD',
    message: `${fieldName(parent)} has no '${key}'`,
    hint: `add ${key === 'type' ? typeExample : (MISSING_FIELD_EXAMPLES.get(key) ?? `'${key}:'`)}`,
    path,
    range: locate.value(parent),
  });
}

function unknownField(path: FieldPath, data: unknown, locate: YamlLocator): PipelineIssue {
  const key = String(path.at(-1));
  const parent = path.slice(0, -1);
  const site = fieldSite(parent, data);
  const owner = valueAtPath(data, parent);
  const stepType = site === 'step' && isMap(owner) ? String(owner.type) : undefined;
  const unsupported = site && unsupportedField(site, key, { value: valueAtPath(data, path), stepType });
  if (unsupported) {
    return pipelineError({
      code: 'UNKNOWN_FIELD',
      message: `${shownName(key)} in ${fieldName(parent)}${unsupported.what ? ` (${unsupported.what})` : ''} is not supported by Elexirion`,
      hint: unsupported.instead,
      path,
      range: locate.key(path),
    });
  }
  const allowed = allowedKeys(parent, data);
  return pipelineError({
    code: 'UNKNOWN_FIELD',
    message: `unknown field ${shownName(key)} in ${fieldName(parent)}`,
    hint: `${didYouMean(key, allowed)}allowed here: ${allowed.join(', ')}`,
    path,
    range: locate.key(path),
  });
}

/** What kind of map is at `path`, as far as advice on pipeline_ex's fields goes. */
function fieldSite(path: FieldPath, data: unknown): FieldSite | undefined {
  const last = path.at(-1);
  if (path.length === 1 && last === 'workflow') return 'workflow';
  if (path.length === 2 && last === 'defaults') return 'defaults';
  if (typeof last === 'string' && NAMED_SITES.has(last)) return last as FieldSite;
  if (typeof last === 'number' && path.at(-2) === 'prompt') return 'prompt_part';
  const value = valueAtPath(data, path);
  return typeof last === 'number' && isMap(value) && typeof value.type === 'string' && 'name' in value
    ? 'step'
    : undefined;
}

const NAMED_SITES: ReadonlySet<string> = new Set([
  'claude_options',
  'session_config',
  'extraction_config',
  'token_budget',
]);

function unknownType(
  path: FieldPath,
  value: unknown,
  supported: readonly string[],
  locate: YamlLocator,
): PipelineIssue {
  const isPart = path.at(-3) === 'prompt';
  const kind = isPart ? 'prompt part type' : 'step type';
  const legacy = isPart ? PIPELINE_EX_PART_TYPES : PIPELINE_EX_STEP_TYPES;
  const name = typeof value === 'string' ? value : JSON.stringify(value);
  const advice = legacy.get(name);
  return pipelineError({
    code: isPart ? 'UNKNOWN_PART_TYPE' : 'UNKNOWN_STEP_TYPE',
    message:
      advice === undefined
        ? `unknown ${kind} ${shownName(name)}`
        : `${kind} '${name}' comes from pipeline_ex and is not supported in this version`,
    hint: `${advice ? `${advice}; ` : didYouMean(name, supported)}supported ${kind}s: ${supported.join(', ')}`,
    path,
    range: locate.value(path),
  });
}

function invalidType(path: FieldPath, value: unknown, expected: string, locate: YamlLocator): PipelineIssue {
  const field = fieldName(path);
  return invalidValue(
    path,
    `${field} must be ${YAML_KINDS.get(expected) ?? expected}, not ${kindOf(value)}`,
    locate,
  );
}

function invalidValue(path: FieldPath, message: string, locate: YamlLocator, hint?: string): PipelineIssue {
  return pipelineError({ code: 'INVALID_VALUE', message, hint, path, range: locate.value(path) });
}

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The keys the schema allows in the map at `path`, following the file's data through unions. */
function allowedKeys(path: FieldPath, data: unknown): string[] {
  let schema: z.core.$ZodType | undefined = PipelineFileSchema;
  let value = data;
  for (const segment of path) {
    schema = childSchema(selectSchema(schema, value), segment);
    value = valueAtPath(value, [segment]);
  }
  const object = selectSchema(schema, value);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

/**
 * Unwraps optional, default and transform wrappers, picks the option of a union the value's kind
 * fits (a prompt's list of parts), and the option of a discriminated union `value` matches.
 */
function selectSchema(schema: z.core.$ZodType | undefined, value: unknown): z.core.$ZodType | undefined {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap();
    else if (current instanceof z.ZodPipe) current = current.in;
    else if (current instanceof z.ZodUnion && !(current instanceof z.ZodDiscriminatedUnion)) {
      current = current.options.find((option) => fitsKind(option, value));
    } else break;
  }
  if (!(current instanceof z.ZodDiscriminatedUnion)) return current;
  const discriminator = current.def.discriminator;
  const tag = isMap(value) ? value[discriminator] : undefined;
  return current.options.find((option) => {
    const literal = option instanceof z.ZodObject ? option.shape[discriminator] : undefined;
    return literal instanceof z.ZodLiteral && literal.values.has(tag as z.core.util.Literal);
  });
}

/** Whether a union option takes values of the kind `value` is: a list, a map, or anything else. */
function fitsKind(option: z.core.$ZodType, value: unknown): boolean {
  let inner = option;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap();
  if (Array.isArray(value)) return inner instanceof z.ZodArray;
  if (isMap(value)) {
    return (
      inner instanceof z.ZodObject || inner instanceof z.ZodRecord || inner instanceof z.ZodDiscriminatedUnion
    );
  }
  return !(inner instanceof z.ZodArray || inner instanceof z.ZodObject || inner instanceof z.ZodRecord);
}

function childSchema(
  schema: z.core.$ZodType | undefined,
  segment: string | number,
): z.core.$ZodType | undefined {
  if (schema instanceof z.ZodObject) return schema.shape[segment];
  if (schema instanceof z.ZodArray) return schema.element;
  if (schema instanceof z.ZodRecord) return schema.valueType;
  return undefined;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

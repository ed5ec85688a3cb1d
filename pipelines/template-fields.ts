import type { FieldPath } from './yaml-ranges.js';

/**
 * Which fields of each step type hold references, and in which grammar. The reference checks
 * (`references.ts`) read this table and nothing else to find them, so a step type's module adds
 * its template-bearing fields here, one line each.
 *
 * A pattern is a field path relative to the step: `*` matches any one key or list index, `**` any
 * number of them (so `variables.**` is every string at any depth of `variables`). A pattern yields
 * the values it reaches; `template` and `step` fields are read only where the value is a string.
 */

/** The grammar of a field. */
export type FieldKind =
  /** A string that may hold `{{…}}` templates. */
  | 'template'
  /** The name of an earlier step (a `previous_response` part's `step`). */
  | 'step'
  /** A condition in the conditions language: a string, and/or/not maps or a list. */
  | 'condition'
  /** One expression in the conditions language (a `switch` expression). */
  | 'expression'
  /** A for_loop's list: a whole-value template, or one of pipeline_ex's spellings. */
  | 'data_source';

/** One template-bearing field of a step type. */
export interface FieldRule {
  readonly pattern: readonly string[];
  readonly kind: FieldKind;
  /**
   * Where the field is read relative to the step: `before` (default) sees what exists before the
   * step runs; `loop` also sees the step's own loop context (`break_condition`); `while` also sees
   * the loop context and the body's steps from the previous iteration (`while_loop.condition`).
   */
  readonly scope?: 'before' | 'loop' | 'while';
}

/**
 * The prompt fields every LLM step type has: static parts, previous_response parts, workspace_file
 * paths (a `file` part's path is refused when it holds a template, see `prompt-files.ts`), Claude
 * system prompts.
 */
const LLM_PROMPT: readonly FieldRule[] = [
  { pattern: ['prompt', '*', 'content'], kind: 'template' },
  { pattern: ['prompt', '*', 'step'], kind: 'step' },
  { pattern: ['prompt', '*', 'path'], kind: 'template' },
  { pattern: ['claude_options', 'system_prompt'], kind: 'template' },
  { pattern: ['claude_options', 'append_system_prompt'], kind: 'template' },
];

/** The signature inputs of `optimize:` (a template, or `{value}`), on the step types that accept it. */
const OPTIMIZE_INPUTS: readonly FieldRule[] = [
  { pattern: ['optimize', 'inputs', '*'], kind: 'template' },
  { pattern: ['optimize', 'inputs', '*', 'value'], kind: 'template' },
];

/** The template-bearing fields of each step type, by `type`. Types absent here have none. */
export const STEP_FIELDS: Readonly<Record<string, readonly FieldRule[]>> = {
  claude: [...LLM_PROMPT, ...OPTIMIZE_INPUTS],
  gemini: [...LLM_PROMPT, ...OPTIMIZE_INPUTS],
  claude_smart: LLM_PROMPT,
  claude_extract: LLM_PROMPT,
  claude_session: LLM_PROMPT,
  claude_robust: LLM_PROMPT,
  gemini_instructor: LLM_PROMPT,
  claude_batch: [
    ...LLM_PROMPT,
    { pattern: ['tasks', '*', 'prompt'], kind: 'template' },
    { pattern: ['tasks', '*', 'prompt', '*', 'content'], kind: 'template' },
    { pattern: ['tasks', '*', 'prompt', '*', 'step'], kind: 'step' },
    { pattern: ['tasks', '*', 'prompt', '*', 'path'], kind: 'template' },
    { pattern: ['tasks', '*', 'claude_options', 'system_prompt'], kind: 'template' },
    { pattern: ['tasks', '*', 'claude_options', 'append_system_prompt'], kind: 'template' },
  ],
  parallel_claude: [
    { pattern: ['parallel_tasks', '*', 'prompt', '*', 'content'], kind: 'template' },
    { pattern: ['parallel_tasks', '*', 'prompt', '*', 'step'], kind: 'step' },
    { pattern: ['parallel_tasks', '*', 'prompt', '*', 'path'], kind: 'template' },
    { pattern: ['parallel_tasks', '*', 'claude_options', 'system_prompt'], kind: 'template' },
    { pattern: ['parallel_tasks', '*', 'claude_options', 'append_system_prompt'], kind: 'template' },
  ],
  set_variable: [{ pattern: ['variables', '**'], kind: 'template' }],
  test_echo: [{ pattern: ['value', '**'], kind: 'template' }],
  pipeline: [{ pattern: ['inputs', '**'], kind: 'template' }],
  data_transform: [
    { pattern: ['input_source'], kind: 'template' },
    { pattern: ['operations', '*', 'right_source'], kind: 'template' },
  ],
  file_ops: [
    { pattern: ['source'], kind: 'template' },
    { pattern: ['destination'], kind: 'template' },
    { pattern: ['path'], kind: 'template' },
    { pattern: ['files', '*', 'path'], kind: 'template' },
  ],
  for_loop: [
    { pattern: ['data_source'], kind: 'data_source' },
    { pattern: ['break_condition'], kind: 'condition', scope: 'loop' },
    { pattern: ['continue_condition'], kind: 'condition', scope: 'loop' },
  ],
  while_loop: [{ pattern: ['condition'], kind: 'condition', scope: 'while' }],
  switch: [{ pattern: ['expression'], kind: 'expression' }],
};

/**
 * The step-level `condition:` every step type accepts, except `while_loop`, whose `condition` is
 * its loop condition (listed above).
 */
export const STEP_CONDITION: FieldRule = { pattern: ['condition'], kind: 'condition' };

/** A value a rule reached, with its field path. */
export interface FieldMatch {
  readonly rule: FieldRule;
  readonly path: FieldPath;
  readonly value: unknown;
}

/**
 * Every field of `step` (at `path`) that holds references, per {@link STEP_FIELDS} and the
 * step-level condition.
 *
 * @example
 * [...templateFieldsOf(step, ['workflow', 'steps', 0])].map((m) => m.path.join('.'));
 * // ['workflow.steps.0.prompt.0.content', 'workflow.steps.0.claude_options.system_prompt']
 */
export function* templateFieldsOf(step: { readonly type: string }, path: FieldPath): Generator<FieldMatch> {
  const rules = [...(step.type === 'while_loop' ? [] : [STEP_CONDITION]), ...(STEP_FIELDS[step.type] ?? [])];
  for (const rule of rules) {
    for (const [relative, value] of matches(step, rule.pattern)) {
      if (value === undefined) continue;
      if ((rule.kind === 'template' || rule.kind === 'step') && typeof value !== 'string') continue;
      yield { rule, path: [...path, ...relative], value };
    }
  }
}

/** The values `pattern` reaches inside `value`, with their relative paths. */
function* matches(value: unknown, pattern: readonly string[]): Generator<[FieldPath, unknown]> {
  const [head, ...rest] = pattern;
  if (head === undefined) {
    yield [[], value];
    return;
  }
  if (head === '**') {
    // Every string at any depth: the whole subtree is the field (set_variable values, test_echo values).
    yield* leaves(value, []);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  for (const [key, inner] of entries) {
    if (head !== '*' && String(key) !== head) continue;
    for (const [innerPath, found] of matches(inner, rest)) yield [[key, ...innerPath], found];
  }
}

function* leaves(value: unknown, path: FieldPath): Generator<[FieldPath, unknown]> {
  if (typeof value === 'string') {
    yield [path, value];
  } else if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
    for (const [key, inner] of entries) yield* leaves(inner, [...path, key]);
  }
}

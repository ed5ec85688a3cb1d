import { fieldName, pipelineError } from './issues.js';
import type { StepType, Workflow } from './schema.js';
import { didYouMean } from './suggest.js';
import { parseTemplate, type TemplateRef } from './templates.js';
import type { IssueCode, PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/**
 * Checks that run once a file matches the schema: step names are unique, every template parses,
 * and every reference names something that exists before the step that reads it (pipeline_ex
 * checks none of this: defects 3 and 6).
 */

/** Where a reference is read: after `position` steps have run, inside step `self` if any. */
interface Scope {
  readonly position: number;
  readonly self?: string;
}

/** A string that may hold templates, with its field path and scope. */
interface TemplateField {
  readonly path: FieldPath;
  readonly text: string;
  readonly scope: Scope;
}

interface Problem {
  readonly code: IssueCode;
  readonly message: string;
  readonly hint: string;
}

/** The names a workflow declares, looked up by every check. */
class Names {
  readonly steps = new Map<
    string,
    { readonly index: number; readonly type: StepType; readonly sets: string[] }
  >();
  readonly inputs: readonly string[];
  /** Each variable a set_variable step sets, with the index of the first step that sets it. */
  readonly setBy = new Map<string, number>();
  private readonly declaredVars: readonly string[];

  constructor(private readonly workflow: Workflow) {
    this.inputs = Object.keys(workflow.inputs ?? {});
    this.declaredVars = Object.keys(workflow.global_vars ?? {});
    workflow.steps.forEach((step, index) => {
      const sets = step.type === 'set_variable' ? Object.keys(step.variables) : [];
      if (!this.steps.has(step.name)) this.steps.set(step.name, { index, type: step.type, sets });
      for (const name of sets) if (!this.setBy.has(name)) this.setBy.set(name, index);
    });
  }

  /** Global variables that hold a value once `position` steps have run. */
  varsAt(position: number): string[] {
    const set = [...this.setBy].filter(([, index]) => index < position).map(([name]) => name);
    return [...new Set([...this.declaredVars, ...set])];
  }

  /** Steps with an output that have run once `position` steps have run. */
  outputsAt(position: number): string[] {
    return this.workflow.steps
      .slice(0, position)
      .flatMap((step) => (step.type === 'set_variable' ? [] : [step.name]));
  }

  stepName(index: number): string {
    return this.workflow.steps[index]?.name ?? '';
  }
}

/**
 * Semantic issues of a schema-valid workflow: DUPLICATE_STEP, BAD_TEMPLATE, UNKNOWN_REFERENCE and
 * FORWARD_REFERENCE, each pointing at the name or the exact `{{…}}` text at fault.
 */
export function checkReferences(workflow: Workflow, locate: YamlLocator): PipelineIssue[] {
  const names = new Names(workflow);
  const issues = duplicateSteps(workflow, locate);
  for (const field of templateFields(workflow)) {
    const { segments, errors } = parseTemplate(field.text);
    for (const { message, hint, start, end } of errors) {
      const range = locate.substring(field.path, start, end);
      issues.push(pipelineError({ code: 'BAD_TEMPLATE', message, hint, path: field.path, range }));
    }
    for (const segment of segments) {
      if (segment.kind !== 'ref') continue;
      const problem = checkRef(segment.ref, field.scope, names);
      if (problem === undefined) continue;
      const range = locate.substring(field.path, segment.ref.start, segment.ref.end);
      issues.push(pipelineError({ ...problem, path: field.path, range }));
    }
  }
  for (const [index, step] of workflow.steps.entries()) {
    if (step.type === 'set_variable') continue;
    for (const [partIndex, part] of step.prompt.entries()) {
      if (part.type !== 'previous_response') continue;
      const problem = checkStep(part.step, { position: index, self: step.name }, names);
      const path = ['workflow', 'steps', index, 'prompt', partIndex, 'step'];
      if (problem !== undefined) issues.push(pipelineError({ ...problem, path, range: locate.value(path) }));
    }
  }
  return issues;
}

function duplicateSteps(workflow: Workflow, locate: YamlLocator): PipelineIssue[] {
  const taken = new Set(workflow.steps.map((step) => step.name));
  const seen = new Map<string, number>();
  const issues: PipelineIssue[] = [];
  for (const [index, { name }] of workflow.steps.entries()) {
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, index);
      continue;
    }
    let suffix = 2;
    while (taken.has(`${name}_${suffix}`)) suffix++;
    const path = ['workflow', 'steps', index, 'name'];
    issues.push(
      pipelineError({
        code: 'DUPLICATE_STEP',
        message: `step name '${name}' is already used by ${fieldName(['workflow', 'steps', first])}`,
        hint: `give each step its own name, e.g. '${name}_${suffix}'`,
        path,
        range: locate.value(path),
      }),
    );
  }
  return issues;
}

/** Every string the step runner renders as a template, with the scope it is rendered in. */
function* templateFields(workflow: Workflow): Generator<TemplateField> {
  const systemPrompts = ['system_prompt', 'append_system_prompt'] as const;
  // Defaults apply to every step, the first included, so they see only what exists before it.
  for (const key of systemPrompts) {
    const text = workflow.defaults?.claude_options?.[key];
    if (text !== undefined)
      yield { path: ['workflow', 'defaults', 'claude_options', key], text, scope: { position: 0 } };
  }
  for (const [index, step] of workflow.steps.entries()) {
    const base = ['workflow', 'steps', index];
    const scope = { position: index, self: step.name };
    if (step.type === 'set_variable') {
      yield* stringsIn(step.variables, [...base, 'variables'], scope);
      continue;
    }
    for (const [partIndex, part] of step.prompt.entries()) {
      if (part.type === 'static')
        yield { path: [...base, 'prompt', partIndex, 'content'], text: part.content, scope };
    }
    for (const key of systemPrompts) {
      const text = step.type === 'claude' ? step.claude_options?.[key] : undefined;
      if (text !== undefined) yield { path: [...base, 'claude_options', key], text, scope };
    }
  }
}

/** The strings at any depth of a set_variable value. */
function* stringsIn(value: unknown, path: FieldPath, scope: Scope): Generator<TemplateField> {
  if (typeof value === 'string') {
    yield { path, text: value, scope };
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* stringsIn(item, [...path, index], scope);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) yield* stringsIn(item, [...path, key], scope);
  }
}

function checkRef(ref: TemplateRef, scope: Scope, names: Names): Problem | undefined {
  const [name = ''] = ref.path;
  if (ref.root === 'steps') return checkStep(name, scope, names);
  if (ref.root === 'inputs') {
    if (names.inputs.includes(name)) return undefined;
    const declared = names.inputs.length > 0 ? ` (declared: ${names.inputs.join(', ')})` : '';
    return {
      code: 'UNKNOWN_REFERENCE',
      message: `${ref.raw} names no declared input`,
      hint: `${didYouMean(name, names.inputs)}declare it under workflow.inputs, e.g. ${name}: {type: string}${declared}`,
    };
  }
  const known = names.varsAt(scope.position);
  if (known.includes(name)) return undefined;
  const setter = names.setBy.get(name);
  if (setter !== undefined && names.stepName(setter) === scope.self) {
    return {
      code: 'FORWARD_REFERENCE',
      message: `${ref.raw} is set by this same step, so it has no value yet`,
      hint: 'read it in a later step, or declare it under workflow.global_vars',
    };
  }
  if (setter !== undefined) {
    return {
      code: 'FORWARD_REFERENCE',
      message: `${ref.raw} is first set by step '${names.stepName(setter)}', which has not run yet here`,
      hint: `set it in an earlier set_variable step, or declare it under workflow.global_vars`,
    };
  }
  return {
    code: 'UNKNOWN_REFERENCE',
    message: `${ref.raw} names no global variable`,
    hint: `${didYouMean(name, known)}declare it under workflow.global_vars or set it in an earlier set_variable step`,
  };
}

/** A reference to step `name`'s output must name an earlier step that has one. */
function checkStep(name: string, scope: Scope, names: Names): Problem | undefined {
  const step = names.steps.get(name);
  const earlier = names.outputsAt(scope.position);
  const choices =
    earlier.length > 0 ? `steps that have run here: ${earlier.join(', ')}` : 'no step has run here yet';
  if (step === undefined) {
    return {
      code: 'UNKNOWN_REFERENCE',
      message: `no step is named '${name}'`,
      hint: `${didYouMean(name, names.steps.keys())}${choices}`,
    };
  }
  if (step.type === 'set_variable') {
    return {
      code: 'UNKNOWN_REFERENCE',
      message: `step '${name}' is a set_variable step and has no output`,
      hint: `read the variables it sets instead: ${step.sets.map((variable) => `{{global_vars.${variable}}}`).join(', ')}`,
    };
  }
  if (name === scope.self) {
    return { code: 'FORWARD_REFERENCE', message: `step '${name}' cannot read its own output`, hint: choices };
  }
  if (step.index >= scope.position) {
    return {
      code: 'FORWARD_REFERENCE',
      message: `step '${name}' has not run yet here (it is ${fieldName(['workflow', 'steps', step.index])})`,
      hint: `move '${name}' before this step (${choices})`,
    };
  }
  return undefined;
}

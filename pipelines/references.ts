import { compileExpression } from './conditions/source.js';
import { walk } from './contract/condition-ast.js';
import { fieldName, pipelineError } from './issues.js';
import { parseDataSource } from './loop-data-source.js';
import { type LoopContext, type Problem, Scope, StepIndex } from './reference-scope.js';
import type { Step, Workflow } from './schema.js';
import { allSteps, hasResult, nestedLists, type StepSite, variablesSetBy } from './step-tree.js';
import type { ConditionSource } from './steps/condition.js';
import { type FieldMatch, templateFieldsOf } from './template-fields.js';
import { parseTemplate, segmentRefs } from './templates.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/**
 * Checks that run once a file matches the schema, over the whole tree of steps (loop bodies and
 * switch cases included; pipeline_ex checks none of this: defects 3 and 6): step names are unique
 * across the file, every template and condition parses, and every reference names something that
 * exists before the place that reads it.
 */

/**
 * Semantic issues of a schema-valid workflow, each pointing at the name or the exact `{{…}}` or
 * condition text at fault: DUPLICATE_STEP, BAD_TEMPLATE, BAD_CONDITION, UNKNOWN_REFERENCE,
 * FORWARD_REFERENCE, OUT_OF_SCOPE, and DEPRECATED_SYNTAX warnings for pipeline_ex's spellings.
 */
export function checkReferences(workflow: Workflow, locate: YamlLocator): PipelineIssue[] {
  const index = new StepIndex(workflow);
  const issues = duplicateSteps(workflow, locate);
  const check = new FieldChecker(index, locate, issues);
  const start = new Scope(index, new Set(), new Set(index.declaredVars));
  // Defaults apply to every step, the first included, so they see only what exists before it.
  for (const key of ['system_prompt', 'append_system_prompt'] as const) {
    const value = workflow.defaults?.claude_options?.[key];
    const path = ['workflow', 'defaults', 'claude_options', key];
    if (value !== undefined) check.field({ rule: { pattern: [], kind: 'template' }, path, value }, start);
  }
  checkList(workflow.steps, ['workflow', 'steps'], start, check);
  return issues;
}

/** Walks one step list in order; each step's fields see the steps before it. */
function checkList(
  steps: readonly Step[],
  path: FieldPath,
  outer: Scope,
  check: FieldChecker,
  ancestors: StepSite['ancestors'] = [],
): void {
  const visible = new Set(outer.visible);
  const vars = new Set(outer.vars);
  for (const [position, step] of steps.entries()) {
    const site: StepSite = { step, path: [...path, position], ancestors };
    const here = new Scope(outer.index, new Set(visible), new Set(vars), site, outer.loop);
    for (const field of templateFieldsOf(step, site.path)) check.field(field, scopeOf(field, step, here));
    for (const list of nestedLists(step, site.path)) {
      const loop = list.kind === 'branch' ? here.loop : loopContext(step, list.kind, here.loop);
      const inner = new Scope(here.index, here.visible, here.vars, site, loop);
      checkList(list.steps, list.path, inner, check, [...ancestors, { step, list }]);
    }
    if (hasResult(step)) visible.add(step.name);
    for (const name of variablesSetBy(step)) vars.add(name);
  }
}

function loopContext(step: Step, kind: LoopContext['kind'], parent: LoopContext | undefined): LoopContext {
  const iterator = step.type === 'for_loop' ? { iterator: step.iterator } : {};
  return { kind, step: step.name, ...iterator, ...(parent === undefined ? {} : { parent }) };
}

/** The scope a field is read in: before its step, or with the step's own loop context. */
function scopeOf(field: FieldMatch, step: Step, here: Scope): Scope {
  const scope = field.rule.scope ?? 'before';
  if (scope === 'before') return here;
  const loop = loopContext(step, scope === 'while' ? 'while_loop' : 'for_loop', here.loop);
  const visible = new Set(here.visible);
  // A while condition is checked again after each iteration, so it may read the body's results
  // (null before the first iteration): the body's top-level steps count as run.
  if (scope === 'while') {
    for (const list of nestedLists(step, []))
      for (const inner of list.steps) if (hasResult(inner)) visible.add(inner.name);
  }
  return new Scope(here.index, visible, here.vars, here.site, loop);
}

/** Checks fields by their kind and collects the issues, at exact ranges of the file. */
class FieldChecker {
  constructor(
    private readonly index: StepIndex,
    private readonly locate: YamlLocator,
    private readonly issues: PipelineIssue[],
  ) {}

  field(field: FieldMatch, scope: Scope): void {
    const { path, value } = field;
    switch (field.rule.kind) {
      case 'template': {
        const { segments, errors } = parseTemplate(value as string);
        for (const error of errors)
          this.report(
            path,
            { code: 'BAD_TEMPLATE', message: error.message, hint: error.hint ?? '' },
            error.start,
            error.end,
          );
        for (const ref of segmentRefs(segments))
          this.refProblem(path, scope.check(ref.root, ref.path, ref.raw), ref.start, ref.end);
        return;
      }
      case 'step':
        this.refProblem(path, scope.checkStep(value as string), undefined, undefined);
        return;
      case 'data_source': {
        const text = value as string;
        const parsed = parseDataSource(text, {
          stepNames: new Set(this.index.sites.keys()),
          variableNames: scope.vars,
        });
        if (parsed.issue) this.push(path, parsed.issue, parsed.issue.start, parsed.issue.end);
        if (parsed.ref)
          this.refProblem(
            path,
            scope.check(parsed.ref.root, parsed.ref.path, parsed.ref.raw),
            parsed.ref.start,
            parsed.ref.end,
          );
        return;
      }
      case 'expression':
        this.expression(value as string, path, scope);
        return;
      case 'condition':
        for (const string of conditionStrings(value as ConditionSource, path))
          this.expression(string.text, string.path, scope);
        return;
    }
  }

  /** One string of the conditions language: syntax, spelling, then each reference in scope. */
  private expression(text: string, path: FieldPath, scope: Scope): void {
    const compiled = compileExpression(text, path, { stepNames: new Set(this.index.sites.keys()) });
    for (const issue of compiled.issues) this.push(path, issue, issue.start, issue.end);
    if (compiled.expr === undefined) return;
    for (const node of walk(compiled.expr)) {
      if (node.kind !== 'ref' || node.root === 'item') continue;
      const raw = [node.root, ...node.path].join('.');
      this.refProblem(path, scope.check(node.root, node.path, raw), node.start, node.end);
    }
  }

  private refProblem(
    path: FieldPath,
    problem: Problem | undefined,
    start: number | undefined,
    end: number | undefined,
  ): void {
    if (problem !== undefined) this.report(path, problem, start, end);
  }

  private report(
    path: FieldPath,
    problem: Problem,
    start: number | undefined,
    end: number | undefined,
  ): void {
    this.push(path, { ...problem, severity: 'error' }, start, end);
  }

  private push(
    path: FieldPath,
    issue: Pick<PipelineIssue, 'code' | 'severity' | 'message'> & { readonly hint?: string },
    start: number | undefined,
    end: number | undefined,
  ): void {
    const range =
      start === undefined || end === undefined
        ? this.locate.value(path)
        : this.locate.substring(path, start, end);
    const { code, severity, message, hint } = issue;
    this.issues.push({ code, severity, message, ...(hint ? { hint } : {}), path, range });
  }
}

/** The strings of a condition written as and/or/not maps and lists, each with its field path. */
function* conditionStrings(
  source: ConditionSource,
  path: FieldPath,
): Generator<{ text: string; path: FieldPath }> {
  if (typeof source === 'string') {
    yield { text: source, path };
  } else if (Array.isArray(source)) {
    for (const [index, item] of source.entries())
      yield* conditionStrings(item as ConditionSource, [...path, index]);
  } else {
    // {and: [...]}, {or: [...]} or {not: condition}: one key, whose value is walked the same way.
    const [key, inner] = Object.entries(source)[0] as [string, ConditionSource];
    yield* conditionStrings(inner, [...path, key]);
  }
}

function duplicateSteps(workflow: Workflow, locate: YamlLocator): PipelineIssue[] {
  const sites = [...allSteps(workflow.steps, ['workflow', 'steps'])];
  const taken = new Set(sites.map(({ step }) => step.name));
  const seen = new Map<string, FieldPath>();
  const issues: PipelineIssue[] = [];
  for (const { step, path: stepPath } of sites) {
    const first = seen.get(step.name);
    if (first === undefined) {
      seen.set(step.name, stepPath);
      continue;
    }
    let suffix = 2;
    while (taken.has(`${step.name}_${suffix}`)) suffix++;
    const path = [...stepPath, 'name'];
    issues.push(
      pipelineError({
        code: 'DUPLICATE_STEP',
        message: `step name '${step.name}' is already used by ${fieldName(first)}`,
        hint: `give each step its own name (across the whole file, loop bodies and cases included), e.g. '${step.name}_${suffix}'`,
        path,
        range: locate.value(path),
      }),
    );
  }
  return issues;
}

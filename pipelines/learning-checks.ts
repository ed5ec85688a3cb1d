import { pipelineError } from './issues.js';
import { LLM_STEP_TYPES, type Workflow } from './schema.js';
import { allSteps } from './step-tree.js';
import { type Evaluator, type Optimize, RESERVED_FIELD_NAMES } from './steps/optimize.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/** The step types whose attempts are recorded, so `step_succeeded` can see how they ended. */
const RECORDED_TYPES: ReadonlySet<string> = new Set(LLM_STEP_TYPES);

/** A step as these checks read it: any step type may carry the learning fields. */
interface LearningStep {
  readonly name: string;
  readonly evaluators?: readonly Evaluator[];
  readonly optimize?: Optimize;
  readonly output_schema?: unknown;
}

/**
 * Load-time checks of `evaluators:` and `optimize:` that a schema cannot express: evaluator names
 * are unique per step (the workflow's evaluators count for every step that opts in), `metric` names
 * one of them, a step that opts in has at least one, an `output_schema` evaluator has a schema to
 * check against, a `step_succeeded` evaluator names a later step, and signature field names are
 * distinct and not reserved by DSPy's layout. Templates in `optimize.inputs` are checked with every
 * other template (`template-fields.ts`).
 */
export function checkLearning(workflow: Workflow, locate: YamlLocator): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const report = (code: PipelineIssue['code'], message: string, hint: string, path: FieldPath) =>
    issues.push(pipelineError({ code, message, hint, path, range: locate.value(path) }));
  const sites = [...allSteps(workflow.steps, ['workflow', 'steps'])];
  const shared = (workflow.evaluators ?? []).map((evaluator, index) => ({
    evaluator,
    path: ['workflow', 'evaluators', index] as FieldPath,
  }));
  for (const [position, { step, path }] of sites.entries()) {
    const learning = step as LearningStep;
    const own = (learning.evaluators ?? []).map((evaluator, index) => ({
      evaluator,
      path: [...path, 'evaluators', index] as FieldPath,
    }));
    const all = learning.optimize === undefined ? own : [...own, ...shared];
    const later = new Set(
      sites
        .slice(position + 1)
        .filter((site) => RECORDED_TYPES.has(site.step.type))
        .map((site) => site.step.name),
    );
    const names = new Set<string>();
    for (const { evaluator, path: at } of all) {
      const name = evaluator.name ?? evaluator.type;
      if (names.has(name)) {
        report(
          'INVALID_VALUE',
          `step "${step.name}" has two evaluators named "${name}"`,
          'give each evaluator a distinct name:',
          [...at, evaluator.name === undefined ? 'type' : 'name'],
        );
      }
      names.add(name);
      if (
        evaluator.type === 'output_schema' &&
        evaluator.schema === undefined &&
        learning.output_schema === undefined
      ) {
        report(
          'MISSING_FIELD',
          `the output_schema evaluator of step "${step.name}" has no schema to check against`,
          'add schema: to the evaluator, or output_schema: to the step',
          [...at, 'type'],
        );
      }
      if (evaluator.type === 'step_succeeded' && !later.has(evaluator.step)) {
        report(
          'UNKNOWN_REFERENCE',
          `step_succeeded names "${evaluator.step}", which is not a step after "${step.name}"`,
          'name a later model step (its attempts are what is checked), such as the one that reviews the tests',
          [...at, 'step'],
        );
      }
    }
    if (learning.optimize !== undefined)
      issues.push(...optimizeIssues(learning.optimize, names, [...path, 'optimize'], locate));
  }
  return issues;
}

function optimizeIssues(
  optimize: Optimize,
  evaluators: ReadonlySet<string>,
  path: FieldPath,
  locate: YamlLocator,
): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  // Names are reported at the key that writes them; values at the value.
  const report = (code: PipelineIssue['code'], message: string, hint: string, at: FieldPath, key = false) =>
    issues.push(
      pipelineError({ code, message, hint, path: at, range: key ? locate.key(at) : locate.value(at) }),
    );
  if (evaluators.size === 0) {
    report(
      'MISSING_FIELD',
      'a step that declares optimize: needs evaluators to score its answers',
      'add evaluators: to the step or to the workflow',
      path,
      true,
    );
  } else if (optimize.metric !== undefined && !evaluators.has(optimize.metric)) {
    report(
      'UNKNOWN_REFERENCE',
      `metric "${optimize.metric}" names no evaluator of this step`,
      `use one of: ${[...evaluators].join(', ')}`,
      [...path, 'metric'],
    );
  }
  for (const name of Object.keys(optimize.outputs)) {
    if (name in optimize.inputs) {
      report(
        'INVALID_VALUE',
        `"${name}" is both an input and an output of the signature`,
        'give the output another name',
        [...path, 'outputs', name],
        true,
      );
    }
  }
  for (const [side, fields] of [
    ['inputs', optimize.inputs],
    ['outputs', optimize.outputs],
  ] as const) {
    for (const name of Object.keys(fields)) {
      if ((RESERVED_FIELD_NAMES as readonly string[]).includes(name)) {
        report(
          'INVALID_VALUE',
          `"${name}" is reserved by DSPy's prompt layout`,
          'choose another field name',
          [...path, side, name],
          true,
        );
      }
    }
  }
  return issues;
}

import { REFLECTING_OPTIMIZERS } from './contract/learning-spec.js';
import type { ModelFamily } from './contract/models.js';
import { pipelineError, shownName } from './issues.js';
import { CLAUDE_MODEL_ALIASES, DEFAULT_MODELS, resolveModel } from './models.js';
import { LLM_STEP_TYPES, type Workflow } from './schema.js';
import { allSteps } from './step-tree.js';
import { type Evaluator, type Optimize, RESERVED_FIELD_NAMES } from './steps/optimize.js';
import { didYouMean } from './suggest.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/** The step types whose attempts are recorded, so `step_succeeded` can see how they ended. */
const RECORDED_TYPES: ReadonlySet<string> = new Set(LLM_STEP_TYPES);

/** A step as these checks read it: any step type may carry the learning fields. */
interface LearningStep {
  readonly name: string;
  readonly type: string;
  readonly evaluators?: readonly Evaluator[];
  readonly optimize?: Optimize;
  readonly output_schema?: unknown;
}

/**
 * Load-time checks of `evaluators:` and `optimize:` that a schema cannot express: evaluator names
 * are unique per step (the workflow's evaluators count for every step that opts in), `metric` names
 * one of them, a step that opts in has at least one, an `output_schema` evaluator has a schema to
 * check against, a `step_succeeded` evaluator names a later step, and signature field names are
 * distinct and not reserved by DSPy's layout, and `optimize.reflection_model` / `judge_model` are
 * models of the step's provider that something uses. Templates in `optimize.inputs` are checked with
 * every other template (`template-fields.ts`).
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
    if (learning.optimize !== undefined) {
      const at: FieldPath = [...path, 'optimize'];
      issues.push(...optimizeIssues(learning.optimize, names, at, locate));
      const scoring = all.map(({ evaluator }) => evaluator);
      issues.push(...optimizeModelIssues(learning, learning.optimize, scoring, at, locate));
    }
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

/**
 * What a provider model id of each family looks like. The optimizer calls a named judge or reflection
 * model through the step's provider, with the step's key (`optimizer/src/elexirion_optimizer/lm.py`), so a model of the
 * other provider, or a typo, would fail only when the nightly job runs.
 */
const MODEL_IDS: Readonly<Record<ModelFamily, RegExp>> = {
  claude: /^claude-[a-z0-9][a-z0-9.-]*$/,
  gemini: /^(models\/)?(gemini|gemma)-[a-z0-9][a-z0-9.-]*$/,
};

const FAMILY_NAMES: Readonly<Record<ModelFamily, string>> = { claude: 'Claude', gemini: 'Gemini' };

/** The names a hint offers for a family: Claude's aliases and the ids they stand for, the default. */
function knownModels(family: ModelFamily): string[] {
  const claude = [...CLAUDE_MODEL_ALIASES.keys(), ...CLAUDE_MODEL_ALIASES.values()];
  return [...new Set([...(family === 'claude' ? claude : []), DEFAULT_MODELS[family]])];
}

/** The provider family a step that may opt in calls: `gemini` steps Gemini, every other Claude. */
function familyOf(type: string): ModelFamily {
  return type.startsWith('gemini') ? 'gemini' : 'claude';
}

/**
 * Checks `reflection_model` and `judge_model`: each, resolved like a step's `model` (an alias
 * expanded), must be a model of the step's provider; `reflection_model` needs an optimizer that
 * writes instructions; a `judge_model` no `llm_judge` evaluator would use is a warning.
 */
function optimizeModelIssues(
  step: LearningStep,
  optimize: Optimize,
  evaluators: readonly Evaluator[],
  path: FieldPath,
  locate: YamlLocator,
): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const family = familyOf(step.type);
  for (const field of ['reflection_model', 'judge_model'] as const) {
    const requested = optimize[field];
    if (requested === undefined) continue;
    const problem = unknownModel(field, requested, family, step.name);
    if (problem !== undefined) {
      const at = [...path, field];
      issues.push(pipelineError({ code: 'INVALID_VALUE', ...problem, path: at, range: locate.value(at) }));
    }
  }
  const optimizer = optimize.optimizer ?? 'bootstrap_few_shot';
  if (optimize.reflection_model !== undefined && !REFLECTING_OPTIMIZERS.includes(optimizer)) {
    const at = [...path, 'reflection_model'];
    const chosen = optimize.optimizer === undefined ? `${optimizer} (the default)` : optimizer;
    issues.push(
      pipelineError({
        code: 'INVALID_VALUE',
        message: `reflection_model is not used by optimizer ${chosen}, which only picks demonstrations and writes no instructions`,
        hint: "set optimizer: gepa (it reflects on the evaluators' feedback) or mipro_v2 (it proposes instructions), or remove reflection_model",
        path: at,
        range: locate.key(at),
      }),
    );
  }
  const judged = evaluators.some(
    (evaluator) => evaluator.type === 'llm_judge' && evaluator.model === undefined,
  );
  if (optimize.judge_model !== undefined && !judged) {
    const at = [...path, 'judge_model'];
    issues.push({
      code: 'INVALID_VALUE',
      severity: 'warning',
      message: `judge_model is not used: no llm_judge evaluator of step "${step.name}" grades without a model of its own`,
      hint: 'add an llm_judge evaluator without model:, or remove judge_model',
      path: at,
      range: locate.key(at),
    });
  }
  return issues;
}

/** Why `requested` is no model of the step's family, or undefined when it is one. */
function unknownModel(
  field: string,
  requested: string,
  family: ModelFamily,
  step: string,
): { message: string; hint: string } | undefined {
  if (MODEL_IDS[family].test(resolveModel(family, requested))) return undefined;
  const name = FAMILY_NAMES[family];
  const known = knownModels(family);
  const other: ModelFamily = family === 'claude' ? 'gemini' : 'claude';
  if (MODEL_IDS[other].test(resolveModel(other, requested))) {
    return {
      message: `${field} ${shownName(requested)} is a ${FAMILY_NAMES[other]} model, but step "${step}" calls ${name}`,
      hint: `the optimizer calls it through the step's provider, with the step's key; name a ${name} model, e.g. ${known.join(', ')}`,
    };
  }
  return {
    message: `${field} ${shownName(requested)} is not a ${name} model`,
    hint: `${didYouMean(requested, known)}name a ${name} model id or alias of the step's provider, e.g. ${known.join(', ')}`,
  };
}

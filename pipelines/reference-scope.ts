import { fieldName } from './issues.js';
import type { Step, Workflow } from './schema.js';
import { allSteps, hasResult, nestedLists, type StepSite, variablesSetBy } from './step-tree.js';
import { didYouMean } from './suggest.js';
import type { TemplateRoot } from './templates.js';
import type { IssueCode } from './types.js';

/**
 * What a reference may read at one place of a pipeline, and the checks of each root. A place sees
 * the steps that have run before it in its own list and in every enclosing list, the variables set
 * by then, and inside a loop body its loop context. Steps inside a loop body or a switch case stay
 * inside: after a loop, its iterations are read through the loop's own result.
 */

/** A reference that does not hold, with what to write instead. */
export interface Problem {
  readonly code: IssueCode;
  readonly message: string;
  readonly hint: string;
}

/** A loop around the place being checked. */
export interface LoopContext {
  readonly kind: 'for_loop' | 'while_loop';
  readonly step: string;
  /** The for_loop's iterator name. */
  readonly iterator?: string;
  readonly parent?: LoopContext;
}

/** Every step of the file by name (the first one, when a name repeats), with where it stands. */
export class StepIndex {
  readonly sites = new Map<string, StepSite>();
  /** Each variable some set_variable step sets, with the first such step. */
  readonly setters = new Map<string, Step>();
  readonly inputs: readonly string[];
  readonly declaredVars: readonly string[];

  constructor(workflow: Workflow) {
    this.inputs = Object.keys(workflow.inputs ?? {});
    this.declaredVars = Object.keys(workflow.global_vars ?? {});
    for (const site of allSteps(workflow.steps, ['workflow', 'steps'])) {
      if (!this.sites.has(site.step.name)) this.sites.set(site.step.name, site);
      for (const name of variablesSetBy(site.step))
        if (!this.setters.has(name)) this.setters.set(name, site.step);
    }
  }
}

/** The fields a control-flow step's result holds in the state (besides skipped and reason). */
const RESULT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  for_loop: ['total_items', 'iterations'],
  while_loop: ['iterations', 'max_iterations_reached', 'last'],
  switch: ['branch'],
};

/** The fields of a loop context, besides the iterator and `parent`. */
const LOOP_FIELDS: Readonly<Record<LoopContext['kind'], readonly string[]>> = {
  for_loop: ['item', 'index', 'total', 'first', 'last'],
  while_loop: ['index', 'iteration'],
};

/** One place of the pipeline: what has run, which variables exist, and the loop around it. */
export class Scope {
  constructor(
    readonly index: StepIndex,
    /** Steps with a result that have run before this place. */
    readonly visible: ReadonlySet<string>,
    readonly vars: ReadonlySet<string>,
    /** The site of the step this place belongs to (its fields are read here). */
    readonly site?: StepSite,
    readonly loop?: LoopContext,
  ) {}

  /** Checks a reference `ROOT.path…`; undefined when it holds. */
  check(root: TemplateRoot, path: readonly string[], raw: string): Problem | undefined {
    const [name = ''] = path;
    switch (root) {
      case 'steps':
        return this.checkStep(name) ?? this.checkResultField(name, path.slice(1));
      case 'inputs':
        return this.checkInput(name, raw);
      case 'global_vars':
        return this.checkVariable(name, raw);
      case 'loop':
        return this.checkLoop(path, raw);
    }
  }

  /** A reference to step `name`'s result must name a step that has run here and has a result. */
  checkStep(name: string): Problem | undefined {
    if (this.visible.has(name)) return undefined;
    const site = this.index.sites.get(name);
    const ran = [...this.visible];
    const choices =
      ran.length > 0 ? `steps that have run here: ${ran.join(', ')}` : 'no step has run here yet';
    if (site === undefined) {
      return {
        code: 'UNKNOWN_REFERENCE',
        message: `no step is named '${name}'`,
        hint: `${didYouMean(name, this.index.sites.keys())}${choices}`,
      };
    }
    if (!hasResult(site.step)) {
      const sets = variablesSetBy(site.step).map((variable) => `{{global_vars.${variable}}}`);
      return {
        code: 'UNKNOWN_REFERENCE',
        message: `step '${name}' is a set_variable step and has no result`,
        hint: `read the variables it sets instead: ${sets.join(', ')}`,
      };
    }
    if (name === this.site?.step.name) {
      return {
        code: 'FORWARD_REFERENCE',
        message: `step '${name}' cannot read its own result`,
        hint: choices,
      };
    }
    const container = site.ancestors.find(({ list }) => !this.isInside(list.path));
    if (container !== undefined) return outOfScope(name, container.step);
    return {
      code: 'FORWARD_REFERENCE',
      message: `step '${name}' has not run yet here (it is ${fieldName(site.path)})`,
      hint: `move '${name}' before this step (${choices})`,
    };
  }

  private checkResultField(name: string, path: readonly string[]): Problem | undefined {
    const step = this.index.sites.get(name)?.step;
    const [field, inner] = path;
    const fields = RESULT_FIELDS[step?.type ?? ''];
    if (step?.type === 'while_loop' && field === 'last' && inner !== undefined)
      return checkLastStep(step, inner);
    if (fields === undefined || field === undefined || [...fields, 'skipped', 'reason'].includes(field))
      return undefined;
    return {
      code: 'UNKNOWN_REFERENCE',
      message: `the result of ${step?.type} step '${name}' has no field '${field}'`,
      hint: `${didYouMean(field, fields)}its fields: ${fields.join(', ')}`,
    };
  }

  private checkInput(name: string, raw: string): Problem | undefined {
    const inputs = this.index.inputs;
    if (inputs.includes(name)) return undefined;
    const declared = inputs.length > 0 ? ` (declared: ${inputs.join(', ')})` : '';
    return {
      code: 'UNKNOWN_REFERENCE',
      message: `${raw} names no declared input`,
      hint: `${didYouMean(name, inputs)}declare it under workflow.inputs, e.g. ${name}: {type: string}${declared}`,
    };
  }

  private checkVariable(name: string, raw: string): Problem | undefined {
    if (this.vars.has(name)) return undefined;
    const setter = this.index.setters.get(name);
    if (setter !== undefined && setter.name === this.site?.step.name) {
      return {
        code: 'FORWARD_REFERENCE',
        message: `${raw} is set by this same step, so it has no value yet`,
        hint: 'read it in a later step, or declare it under workflow.global_vars',
      };
    }
    if (setter !== undefined) {
      return {
        code: 'FORWARD_REFERENCE',
        message: `${raw} is first set by step '${setter.name}', which has not run here`,
        hint: 'set it in an earlier set_variable step of this step list, or declare it under workflow.global_vars',
      };
    }
    return {
      code: 'UNKNOWN_REFERENCE',
      message: `${raw} names no global variable`,
      hint: `${didYouMean(name, this.vars)}declare it under workflow.global_vars or set it in an earlier set_variable step`,
    };
  }

  private checkLoop(path: readonly string[], raw: string, loop = this.loop): Problem | undefined {
    if (loop === undefined) {
      return {
        code: 'OUT_OF_SCOPE',
        message: `${raw} is read outside a loop body`,
        hint: 'loop.* exists only in the steps of a for_loop or while_loop (and their conditions)',
      };
    }
    const [field = '', ...rest] = path;
    if (field === 'parent' && loop.parent !== undefined && rest.length > 0)
      return this.checkLoop(rest, raw, loop.parent);
    const fields = [
      ...(loop.iterator ? [loop.iterator] : []),
      ...LOOP_FIELDS[loop.kind],
      ...(loop.parent ? ['parent'] : []),
    ];
    if (fields.includes(field)) return undefined;
    return {
      code: 'UNKNOWN_REFERENCE',
      message: `${raw}: the context of ${loop.kind} '${loop.step}' has no field '${field}'`,
      hint: `${didYouMean(field, fields)}its fields: ${fields.join(', ')}`,
    };
  }

  /** Whether this place is inside the nested list at `path` (a loop body, a switch case). */
  private isInside(path: readonly (string | number)[]): boolean {
    const key = path.join('\u0000');
    return this.site?.ancestors.some(({ list }) => list.path.join('\u0000') === key) ?? false;
  }
}

/** The steps of a while_loop's body whose results its `last` holds: the body's own steps with a result. */
function lastSteps(loop: Step): string[] {
  return nestedLists(loop, []).flatMap((list) => list.steps.filter(hasResult).map((inner) => inner.name));
}

/** `steps.LOOP.last.STEP` must name a step of that while_loop's body with a result. */
function checkLastStep(loop: Step, name: string): Problem | undefined {
  const names = lastSteps(loop);
  if (names.includes(name)) return undefined;
  return {
    code: 'UNKNOWN_REFERENCE',
    message: `the last iteration of while_loop '${loop.name}' has no step '${name}'`,
    hint: `${didYouMean(name, names)}the body steps of while_loop '${loop.name}': ${names.join(', ') || 'none with a result'}`,
  };
}

function outOfScope(name: string, container: Step): Problem {
  const hint =
    container.type === 'for_loop'
      ? `after the loop, read each iteration's results from {{steps.${container.name}.iterations}}`
      : container.type === 'switch'
        ? `it runs only when its case is taken; read it inside that case, or test steps.${container.name}.branch`
        : container.type === 'while_loop' && lastSteps(container).includes(name)
          ? `after the loop, read its last iteration's result from {{steps.${container.name}.last.${name}}}`
          : `read it inside ${container.type} '${container.name}'`;
  return {
    code: 'OUT_OF_SCOPE',
    message: `step '${name}' runs inside ${container.type} '${container.name}' and is not visible here`,
    hint,
  };
}

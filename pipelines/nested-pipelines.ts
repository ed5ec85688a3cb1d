import { dirname, relative, resolve } from 'node:path';
import type { Document } from 'yaml';
import { checkDataSources } from './data-step-checks.js';
import { positionOf } from './format-issues.js';
import { pipelineError } from './issues.js';
import { checkReferences } from './references.js';
import type { Step, Workflow } from './schema.js';
import { allSteps } from './step-tree.js';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_TOTAL_STEPS,
  nestedOutputs,
  type PipelineStep,
} from './steps/pipeline.js';
import type { LoadResult, Pipeline, PipelineIssue } from './types.js';
import { WithinLocator } from './within-locator.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/**
 * Load-time checks of nested pipelines (reference §10; pipeline_ex defect 26 not copied): each
 * `pipeline_file` is loaded with the same loader, relative to the file that names it; a cycle is
 * found by resolved path, not by name; nesting depth and the total number of steps are checked
 * statically; inline pipelines' steps are checked like top-level ones, in their own scope.
 */

/** What a nested pipeline sees from its parent: input names and global variables it may read. */
export interface ChildContext {
  readonly inputs: readonly string[];
  readonly globalVars: readonly string[];
}

/** Where a pipeline is being loaded: the files above it, its depth, and what its parent passes in. */
export interface NestingOptions {
  /** Absolute paths of the files that (transitively) nest this one, outermost first. */
  readonly ancestors?: readonly string[];
  readonly depth?: number;
  readonly context?: ChildContext;
}

/** Loads one pipeline file as a child; the loader passes itself in, so the modules do not import each other. */
export type LoadChild = (file: string, options: NestingOptions) => Promise<LoadResult>;

/** The parsed file a check runs over. */
export interface NestingSource {
  readonly file: string;
  readonly doc: Document;
  readonly source: string;
  readonly locate: YamlLocator;
}

/** The workflow with what the parent passes in declared, so references to it check out. */
export function withContext(workflow: Workflow, context: ChildContext | undefined): Workflow {
  if (context === undefined) return workflow;
  return {
    ...workflow,
    inputs: {
      ...Object.fromEntries(context.inputs.map((name) => [name, { type: 'string' as const }])),
      ...workflow.inputs,
    },
    global_vars: {
      ...Object.fromEntries(context.globalVars.map((name) => [name, null])),
      ...workflow.global_vars,
    },
  };
}

/**
 * Checks every nested pipeline step of `workflow` (already given its context) and loads the files
 * they name. Returns the loaded files by the path as written, and every issue, at positions of this
 * file (a child file's issue names its own FILE:LINE:COL in its message).
 */
export async function checkNestedPipelines(
  workflow: Workflow,
  at: NestingSource,
  options: NestingOptions,
  loadChild: LoadChild,
): Promise<{ pipelines: Record<string, Pipeline>; issues: PipelineIssue[] }> {
  const pipelines: Record<string, Pipeline> = {};
  const issues: PipelineIssue[] = [];
  const depth = (options.depth ?? 0) + 1;
  for (const { step, path } of allSteps(workflow.steps, ['workflow', 'steps'])) {
    if (step.type !== 'pipeline') continue;
    const maxDepth = step.config?.max_depth ?? DEFAULT_MAX_DEPTH;
    const sourcePath = [...path, step.pipeline_file === undefined ? 'pipeline' : 'pipeline_file'];
    if (depth > maxDepth) {
      issues.push(
        pipelineError({
          code: 'NESTING_TOO_DEEP',
          message: `this pipeline would run at nesting depth ${depth}, over max_depth ${maxDepth}`,
          hint: 'flatten the nesting, or raise config.max_depth',
          path: sourcePath,
          range: at.locate.value(sourcePath),
        }),
      );
      continue;
    }
    const context = childContext(step, workflow);
    const childOptions = { ancestors: options.ancestors ?? [], depth, context };
    const child =
      step.pipeline_file === undefined
        ? await checkInline(step, path, at, childOptions, loadChild)
        : await loadFile(step.pipeline_file, sourcePath, at, childOptions, loadChild);
    issues.push(...child.issues);
    if (child.pipeline === undefined) continue;
    if (step.pipeline_file !== undefined) pipelines[step.pipeline_file] = child.pipeline;
    Object.assign(pipelines, step.pipeline_file === undefined ? child.pipeline.pipelines : {});
    issues.push(...interfaceIssues(step, path, child.pipeline.workflow, at.locate));
  }
  if (issues.every((issue) => issue.severity !== 'error'))
    issues.push(...totalStepIssues(workflow, pipelines, at.locate));
  return { pipelines, issues };
}

/** The inputs and variables a child may read: those passed, and under inherit_context the parent's. */
function childContext(step: PipelineStep, parent: Workflow): ChildContext {
  const inherit = step.config?.inherit_context === true;
  const parentVars = new Set(Object.keys(parent.global_vars ?? {}));
  for (const { step: inner } of allSteps(parent.steps, [])) {
    if (inner.type === 'set_variable') for (const name of Object.keys(inner.variables)) parentVars.add(name);
  }
  const inputs =
    step.inputs !== undefined ? Object.keys(step.inputs) : inherit ? Object.keys(parent.inputs ?? {}) : [];
  return { inputs, globalVars: inherit ? [...parentVars] : [] };
}

async function checkInline(
  step: PipelineStep,
  path: FieldPath,
  at: NestingSource,
  options: NestingOptions,
  loadChild: LoadChild,
): Promise<{ pipeline?: Pipeline; issues: PipelineIssue[] }> {
  const inline = step.pipeline;
  if (inline === undefined) return { issues: [] };
  const workflow = withContext({ name: inline.name, steps: inline.steps as Step[] }, options.context);
  const base = [...path, 'pipeline'];
  const locate = new WithinLocator(at.doc, at.source, at.locate, base);
  const within = (issue: PipelineIssue) => ({ ...issue, path: [...base, ...issue.path.slice(1)] });
  const nested = await checkNestedPipelines(workflow, { ...at, locate }, options, loadChild);
  const issues = [...checkReferences(workflow, locate), ...checkDataSources(workflow, locate)].map(within);
  const pipeline: Pipeline = { file: at.file, workflow, files: {}, pipelines: nested.pipelines };
  return { pipeline, issues: [...issues, ...nested.issues.map(within)] };
}

async function loadFile(
  written: string,
  sourcePath: FieldPath,
  at: NestingSource,
  options: Required<Pick<NestingOptions, 'ancestors'>> & NestingOptions,
  loadChild: LoadChild,
): Promise<{ pipeline?: Pipeline; issues: PipelineIssue[] }> {
  const file = resolve(dirname(at.file), written);
  const range = at.locate.value(sourcePath);
  const chain = [...options.ancestors, at.file];
  if (chain.includes(file)) {
    // Named relative to the outermost file's folder, where the user started.
    const root = dirname(chain[0] ?? at.file);
    const cycle = [...chain.slice(chain.indexOf(file)), file].map((f) => relative(root, f));
    return {
      issues: [
        pipelineError({
          code: 'PIPELINE_CYCLE',
          message: `nested pipelines form a cycle: ${cycle.join(' → ')}`,
          hint: 'a pipeline cannot run itself, directly or through others; remove one pipeline step of the cycle',
          path: sourcePath,
          range,
        }),
      ],
    };
  }
  const loaded = await loadChild(file, { ...options, ancestors: chain });
  const name = relative(dirname(at.file), file);
  const issues = loaded.issues.map((issue) => {
    const { line, col } = positionOf(loaded.source, issue.range[0]);
    const where = loaded.source === '' ? name : `${name}:${line}:${col}`;
    return { ...issue, message: `in ${where}: ${issue.message}`, path: sourcePath, range };
  });
  return loaded.pipeline === undefined ? { issues } : { pipeline: loaded.pipeline, issues };
}

/** The step's `inputs` must match what the child declares, and each output must name a child step. */
function interfaceIssues(
  step: PipelineStep,
  path: FieldPath,
  child: Workflow,
  locate: YamlLocator,
): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const declared = Object.entries(child.inputs ?? {});
  const given = step.inputs ?? {};
  if (declared.length > 0) {
    const names = declared.map(([name]) => name);
    for (const name of Object.keys(given)) {
      if (names.includes(name)) continue;
      const at = [...path, 'inputs', name];
      issues.push(
        pipelineError({
          code: 'INVALID_VALUE',
          message: `the nested pipeline declares no input '${name}'`,
          hint: `its inputs: ${names.join(', ')}`,
          path: at,
          range: locate.key(at),
        }),
      );
    }
  }
  const inherits = step.inputs === undefined && step.config?.inherit_context === true;
  for (const [name, decl] of declared) {
    if (inherits || name in given || decl.default !== undefined || decl.required === false) continue;
    const at = [...path, 'inputs'];
    issues.push(
      pipelineError({
        code: 'MISSING_FIELD',
        message: `the nested pipeline needs input '${name}'`,
        hint: `add inputs: {${name}: ...}`,
        path: at,
        range: locate.value(at),
      }),
    );
  }
  const steps = child.steps.filter((s) => s.type !== 'set_variable').map((s) => s.name);
  for (const [index, output] of (nestedOutputs(step.outputs) ?? []).entries()) {
    if (steps.includes(output.step)) continue;
    const at = [...path, 'outputs', index];
    issues.push(
      pipelineError({
        code: 'UNKNOWN_REFERENCE',
        message: `the nested pipeline has no step '${output.step}' with a result`,
        hint: `its steps: ${steps.join(', ')}`,
        path: at,
        range: locate.value(at),
      }),
    );
  }
  return issues;
}

/** Every step of the workflow and of the pipelines nested in it, at any depth. */
export function countSteps(workflow: Workflow, pipelines: Readonly<Record<string, Pipeline>>): number {
  let count = 0;
  for (const { step } of allSteps(workflow.steps, [])) {
    count++;
    if (step.type !== 'pipeline') continue;
    const child = step.pipeline_file === undefined ? undefined : pipelines[step.pipeline_file];
    if (child) count += countSteps(child.workflow, child.pipelines ?? {});
    else if (step.pipeline)
      count += countSteps({ name: step.pipeline.name, steps: step.pipeline.steps as Step[] }, pipelines);
  }
  return count;
}

function totalStepIssues(
  workflow: Workflow,
  pipelines: Record<string, Pipeline>,
  locate: YamlLocator,
): PipelineIssue[] {
  const total = countSteps(workflow, pipelines);
  for (const { step, path } of allSteps(workflow.steps, ['workflow', 'steps'])) {
    if (step.type !== 'pipeline') continue;
    const limit = step.config?.max_total_steps ?? DEFAULT_MAX_TOTAL_STEPS;
    if (total <= limit) continue;
    return [
      pipelineError({
        code: 'TOO_MANY_STEPS',
        message: `this pipeline and those nested in it have ${total} steps, over max_total_steps ${limit}`,
        hint: 'split the work into separate pipelines, or raise config.max_total_steps',
        path: [...path, 'name'],
        range: locate.value([...path, 'name']),
      }),
    ];
  }
  return [];
}

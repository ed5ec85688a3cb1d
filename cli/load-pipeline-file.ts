import { resolve } from 'node:path';
import type { AslObject, ChildStateMachine, SpecBundle } from '../pipelines/contract/spec-bundle.js';
import { formatIssue, positionOf } from '../pipelines/format-issues.js';
import type { Pipeline, PipelineIssue } from '../pipelines/types.js';
import { buildPipelineFile } from '../statemachines/build.js';
import type { CliIo } from './io.js';

/** A pipeline file that loaded and compiled without errors. */
export interface CompiledPipeline {
  readonly pipeline: Pipeline;
  readonly compiled: {
    readonly asl: AslObject;
    readonly bundle: SpecBundle;
    readonly children: readonly ChildStateMachine[];
  };
}

/** One issue as `validate --json` and `compile --json` print it. */
export interface IssueJson {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint: string | null;
  /** 1-based line and column where the problem is. */
  readonly line: number;
  readonly col: number;
  /** The field's path in the file, as `workflow.steps[1].prompt[0].type`; null for the whole file. */
  readonly field: string | null;
}

/** A pipeline file checked: what compiled, when it did, and every issue (warnings included) as data. */
export interface CheckedPipeline {
  readonly compiled: CompiledPipeline | undefined;
  readonly issues: readonly IssueJson[];
}

/**
 * Loads and compiles one pipeline file, printing every issue as `FILE:LINE:COL: …` to stderr
 * (warnings too). Returns undefined when there were errors; nothing is written anywhere else.
 */
export async function loadAndCompile(file: string, io: CliIo): Promise<CompiledPipeline | undefined> {
  const build = await buildPipelineFile(resolve(io.cwd ?? process.cwd(), file));
  for (const issue of build.issues) io.err.write(`${formatIssue(file, build.source, issue)}\n`);
  return compiledOf(build);
}

/** Loads and compiles one pipeline file like {@link loadAndCompile}, returning the issues instead of printing them. */
export async function checkPipelineFile(file: string, io: CliIo): Promise<CheckedPipeline> {
  const build = await buildPipelineFile(resolve(io.cwd ?? process.cwd(), file));
  return { compiled: compiledOf(build), issues: build.issues.map((issue) => issueJson(build.source, issue)) };
}

function compiledOf(build: Awaited<ReturnType<typeof buildPipelineFile>>): CompiledPipeline | undefined {
  return build.ok
    ? {
        pipeline: build.pipeline,
        compiled: { asl: build.asl, bundle: build.bundle, children: build.children },
      }
    : undefined;
}

function issueJson(source: string, issue: PipelineIssue): IssueJson {
  const { line, col } = positionOf(source, issue.range[0]);
  return {
    code: issue.code,
    severity: issue.severity,
    message: issue.message,
    hint: issue.hint ?? null,
    line,
    col,
    field: fieldPath(issue.path),
  };
}

/** `['workflow', 'steps', 1, 'name']` as `workflow.steps[1].name`. */
function fieldPath(path: readonly (string | number)[]): string | null {
  if (path.length === 0) return null;
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

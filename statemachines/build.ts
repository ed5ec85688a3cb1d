import type { AslObject, ChildStateMachine, SpecBundle } from '../pipelines/contract/spec-bundle.js';
import { withFieldRanges } from '../pipelines/issue-ranges.js';
import { loadPipeline, loadPipelineFromString } from '../pipelines/loader.js';
import type { ReadTextFile } from '../pipelines/pipeline-folder.js';
import type { LoadResult, Pipeline, PipelineIssue } from '../pipelines/types.js';
import { compilePipeline } from './compile.js';

/** A pipeline that loaded and compiled, or every issue that stopped it; `source` maps offsets to lines. */
export type PipelineBuild =
  | {
      readonly ok: true;
      readonly pipeline: Pipeline;
      readonly asl: AslObject;
      readonly bundle: SpecBundle;
      /** The state machines of nested pipelines, deployed beside this one (see `CompileResult`). */
      readonly children: readonly ChildStateMachine[];
      /** Warnings only. */
      readonly issues: readonly PipelineIssue[];
      readonly source: string;
    }
  | { readonly ok: false; readonly issues: readonly PipelineIssue[]; readonly source: string };

/**
 * Loads and compiles a pipeline file.
 *
 * @example
 * const build = await buildPipelineFile('pipelines/examples/chain.yaml');
 * if (!build.ok) console.error(formatIssues(file, build.source, build.issues));
 */
export async function buildPipelineFile(file: string): Promise<PipelineBuild> {
  return compileLoaded(await loadPipeline(file));
}

/**
 * Loads and compiles a pipeline from its text; `file` names it in issues and is the base of `file`
 * prompt parts, which `read` serves.
 */
export async function buildPipelineSource(
  source: string,
  file: string,
  read?: ReadTextFile,
): Promise<PipelineBuild> {
  return compileLoaded(await loadPipelineFromString(source, file, read));
}

function compileLoaded(loaded: LoadResult): PipelineBuild {
  if (!loaded.pipeline) return { ok: false, issues: loaded.issues, source: loaded.source };
  const compiled = compilePipeline(loaded.pipeline);
  const issues = [...loaded.issues, ...withFieldRanges(compiled.issues, loaded.source)];
  if (!compiled.asl || !compiled.bundle) return { ok: false, issues, source: loaded.source };
  return {
    ok: true,
    pipeline: loaded.pipeline,
    asl: compiled.asl,
    bundle: compiled.bundle,
    children: compiled.children ?? [],
    issues,
    source: loaded.source,
  };
}

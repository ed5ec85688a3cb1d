import { resolve } from 'node:path';
import { formatIssue } from '../pipelines/format-issues.js';
import { loadPipeline } from '../pipelines/loader.js';
import type { Pipeline, PipelineIssue } from '../pipelines/types.js';
import { type CompileResult, compilePipeline } from '../statemachines/compile.js';
import type { CliIo } from './io.js';

/** A pipeline file that loaded and compiled without errors. */
export interface CompiledPipeline {
  readonly pipeline: Pipeline;
  readonly compiled: Required<Pick<CompileResult, 'asl' | 'bundle'>> & CompileResult;
}

/**
 * Loads and compiles one pipeline file, printing every issue as `FILE:LINE:COL: …` to stderr
 * (warnings too). Returns undefined when there were errors; nothing is written anywhere else.
 */
export async function loadAndCompile(file: string, io: CliIo): Promise<CompiledPipeline | undefined> {
  const path = resolve(io.cwd ?? process.cwd(), file);
  const loaded = await loadPipeline(path);
  const report = (issues: readonly PipelineIssue[]) => {
    for (const issue of issues) io.err.write(`${formatIssue(file, loaded.source, issue)}\n`);
  };
  report(loaded.issues);
  if (!loaded.pipeline) return undefined;
  const compiled = compilePipeline(loaded.pipeline);
  report(compiled.issues);
  if (!compiled.asl || !compiled.bundle) return undefined;
  return { pipeline: loaded.pipeline, compiled: { ...compiled, asl: compiled.asl, bundle: compiled.bundle } };
}

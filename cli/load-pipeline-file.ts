import { resolve } from 'node:path';
import { buildPipelineFile } from '../functions/core/pipeline-build.js';
import { formatIssue } from '../pipelines/format-issues.js';
import type { Pipeline } from '../pipelines/types.js';
import type { AslObject, ChildStateMachine, SpecBundle } from '../statemachines/types.js';
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

/**
 * Loads and compiles one pipeline file, printing every issue as `FILE:LINE:COL: …` to stderr
 * (warnings too). Returns undefined when there were errors; nothing is written anywhere else.
 */
export async function loadAndCompile(file: string, io: CliIo): Promise<CompiledPipeline | undefined> {
  const build = await buildPipelineFile(resolve(io.cwd ?? process.cwd(), file));
  for (const issue of build.issues) io.err.write(`${formatIssue(file, build.source, issue)}\n`);
  return build.ok
    ? {
        pipeline: build.pipeline,
        compiled: { asl: build.asl, bundle: build.bundle, children: build.children },
      }
    : undefined;
}

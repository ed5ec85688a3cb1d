import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipelineError } from './issues.js';
import type { Workflow } from './schema.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/** Reads a text file by absolute path; the loader's one door to the file system, replaceable in tests. */
export type ReadTextFile = (absolutePath: string) => Promise<string>;

/** Reads a UTF-8 file from disk. */
export const readTextFile: ReadTextFile = (absolutePath) => readFile(absolutePath, 'utf8');

/** The content of every `file` prompt part, and an issue for each one that could not be read. */
export interface PromptFiles {
  /** Keyed by the path as written in the part. */
  readonly files: Record<string, string>;
  readonly issues: PipelineIssue[];
}

/**
 * Reads the `file` prompt parts of a workflow. Every path is relative to `baseDir`, the pipeline
 * file's folder: one documented base, whatever the working directory (pipeline_ex defect 30). Files
 * are read at load time and bundled, so a path cannot hold a template.
 */
export async function readPromptFiles(
  workflow: Workflow,
  baseDir: string,
  locate: YamlLocator,
  read: ReadTextFile,
): Promise<PromptFiles> {
  const reads = new Map<string, Promise<string | NodeJS.ErrnoException>>();
  const readOnce = (absolute: string) => {
    const pending = reads.get(absolute) ?? read(absolute).catch((error: NodeJS.ErrnoException) => error);
    reads.set(absolute, pending);
    return pending;
  };
  const parts = workflow.steps.flatMap((step, index) =>
    step.type === 'set_variable'
      ? []
      : step.prompt.flatMap((part, partIndex) =>
          part.type === 'file'
            ? [{ written: part.path, path: ['workflow', 'steps', index, 'prompt', partIndex, 'path'] }]
            : [],
        ),
  );
  const outcomes = await Promise.all(
    parts.map(async (part) => ({ ...part, outcome: await readPart(part, baseDir, locate, readOnce) })),
  );
  // Filled in part order, so the same pipeline always gives the same `files` (and the same bundle).
  const files: Record<string, string> = {};
  const issues: PipelineIssue[] = [];
  for (const { written, outcome } of outcomes) {
    if (typeof outcome === 'string') files[written] = outcome;
    else issues.push(outcome);
  }
  return { files, issues };
}

async function readPart(
  { written, path }: { readonly written: string; readonly path: FieldPath },
  baseDir: string,
  locate: YamlLocator,
  readOnce: (absolute: string) => Promise<string | NodeJS.ErrnoException>,
): Promise<string | PipelineIssue> {
  const range = locate.value(path);
  if (written.includes('{{')) {
    return pipelineError({
      code: 'BAD_TEMPLATE',
      message: `file path '${written}' holds a template, but files are read when the pipeline loads`,
      hint: 'write a path relative to the pipeline file, or pass the text as an input and use {{inputs.NAME}} in a static part',
      path,
      range,
    });
  }
  const absolute = resolve(baseDir, written);
  const content = await readOnce(absolute);
  if (typeof content === 'string') return content;
  return pipelineError({
    code: 'FILE_NOT_FOUND',
    message:
      content.code === 'ENOENT'
        ? `file '${written}' does not exist (looked for ${absolute})`
        : `cannot read '${absolute}': ${content.message}`,
    hint: `file paths are relative to the pipeline file's folder, ${baseDir}`,
    path,
    range,
  });
}

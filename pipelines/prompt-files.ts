import { resolve } from 'node:path';
import { pipelineError } from './issues.js';
import { FileRefusedError, isInsideFolder, type ReadTextFile } from './pipeline-folder.js';
import type { Workflow } from './schema.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/** The content of every `file` prompt part, and an issue for each one that could not be read. */
export interface PromptFiles {
  /** Keyed by the path as written in the part. */
  readonly files: Record<string, string>;
  readonly issues: PipelineIssue[];
}

/**
 * Reads the `file` prompt parts of a workflow. Every path is relative to `baseDir`, the pipeline
 * file's folder: one documented base, whatever the working directory (pipeline_ex defect 30), and
 * must stay inside it (see `pipeline-folder.ts`). Files are read at load time and bundled, so a path
 * cannot hold a template.
 */
export async function readPromptFiles(
  workflow: Workflow,
  baseDir: string,
  locate: YamlLocator,
  read: ReadTextFile,
): Promise<PromptFiles> {
  const reads = new Map<string, Promise<string | NodeJS.ErrnoException>>();
  const readOnce = (absolute: string) => {
    const pending =
      reads.get(absolute) ?? read(absolute, baseDir).catch((error: NodeJS.ErrnoException) => error);
    reads.set(absolute, pending);
    return pending;
  };
  const parts = [...fileReferences(workflow.steps, ['workflow', 'steps'])];
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

/** Keys whose values are user data, never steps or prompts, so a `file`-shaped value there is not read. */
const DATA_KEYS: ReadonlySet<string> = new Set([
  'variables',
  'value',
  'inputs',
  'outputs',
  'output_schema',
  'schema',
]);

/**
 * The files steps read at load time, in document order: `file` prompt parts wherever a prompt is
 * (a step's, a task's, a nested step list's) and the `file` of a `claude_batch` task.
 */
function* fileReferences(
  value: unknown,
  path: FieldPath,
): Generator<{ readonly written: string; readonly path: FieldPath }> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* fileReferences(item, [...path, index]);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  if (path.at(-2) === 'prompt' && record.type === 'file' && typeof record.path === 'string') {
    yield { written: record.path, path: [...path, 'path'] };
  }
  if (path.at(-2) === 'tasks' && typeof record.file === 'string') {
    yield { written: record.file, path: [...path, 'file'] };
  }
  for (const [key, inner] of Object.entries(record)) {
    if (!DATA_KEYS.has(key)) yield* fileReferences(inner, [...path, key]);
  }
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
  if (!isInsideFolder(baseDir, written)) {
    return pipelineError({
      code: 'FILE_OUTSIDE_FOLDER',
      message: `file '${written}' is outside the pipeline's folder ${baseDir}`,
      hint: OUTSIDE_FOLDER_HINT,
      path,
      range,
    });
  }
  const absolute = resolve(baseDir, written);
  const content = await readOnce(absolute);
  if (typeof content === 'string') return content;
  return fileIssue(content, {
    written,
    absolute,
    path,
    range,
    hint: `file paths are relative to the pipeline file's folder, ${baseDir}`,
  });
}

/** What to do about a file a pipeline may not read. */
export const OUTSIDE_FOLDER_HINT =
  'a pipeline reads only files inside its own folder: move or copy the file there, or pass its text as an input and use {{inputs.NAME}} in a static part';

/** The issue for a file that could not be read: refused (FILE_OUTSIDE_FOLDER, FILE_REFUSED) or missing. */
export function fileIssue(
  error: NodeJS.ErrnoException,
  at: {
    readonly written: string;
    readonly absolute: string;
    readonly path: FieldPath;
    readonly range: readonly [number, number];
    readonly hint: string;
  },
): PipelineIssue {
  const { written, absolute, path, range } = at;
  if (error instanceof FileRefusedError) {
    const outside = error.reason === 'outside-folder';
    return pipelineError({
      code: outside ? 'FILE_OUTSIDE_FOLDER' : 'FILE_REFUSED',
      message: `file '${written}' cannot be read: ${error.message}`,
      hint: outside
        ? OUTSIDE_FOLDER_HINT
        : error.reason === 'too-large'
          ? 'split the file, or keep large text in an input or an artifact'
          : 'name a regular file',
      path,
      range,
    });
  }
  return pipelineError({
    code: 'FILE_NOT_FOUND',
    message:
      error.code === 'ENOENT'
        ? `file '${written}' does not exist (looked for ${absolute})`
        : `cannot read '${absolute}': ${error.message}`,
    hint: at.hint,
    path,
    range,
  });
}

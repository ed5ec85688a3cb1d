import { formatPatch, type StructuredPatch, structuredPatch } from 'diff';

/** One changed file as the patch shows it: its snapshot version and its new text, either absent. */
export interface FileDiff {
  readonly path: string;
  /** The snapshot's version; absent for a file the run created. */
  readonly before?: { readonly text: string; readonly mode: number };
  /** The new text; absent for a file the run deleted. */
  readonly after?: string;
}

/** Lines of context around each change, as `git diff` shows by default. */
const CONTEXT_LINES = 3;

/**
 * A git-style unified diff of the files, in the order given: `diff --git a/P b/P`, `new file mode`
 * or `deleted file mode` where it applies, `--- a/P` / `+++ b/P` (`/dev/null` for a missing side)
 * and the hunks, so `git apply` and jsdiff's `applyPatch` both take it. A file whose two versions
 * are equal contributes nothing; '' when no file changed.
 */
export function unifiedPatch(files: readonly FileDiff[]): string {
  return files
    .filter((file) => file.before?.text !== file.after)
    .map((file) => formatPatch(gitPatch(file)))
    .join('');
}

function gitPatch(file: FileDiff): StructuredPatch {
  const { path, before, after } = file;
  const oldName = before === undefined ? '/dev/null' : `a/${path}`;
  const newName = after === undefined ? '/dev/null' : `b/${path}`;
  const patch = structuredPatch(oldName, newName, before?.text ?? '', after ?? '', undefined, undefined, {
    context: CONTEXT_LINES,
  });
  const mode = gitMode(before?.mode ?? 0o644);
  return {
    ...patch,
    isGit: true,
    ...(before === undefined ? { isCreate: true, newMode: mode } : {}),
    ...(after === undefined ? { isDelete: true, oldMode: mode } : {}),
  };
}

/** Git's spelling of a regular file's mode: `100644` or `100755`. */
function gitMode(mode: number): string {
  return `100${mode.toString(8).padStart(3, '0')}`;
}

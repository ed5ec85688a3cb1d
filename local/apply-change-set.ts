import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ChangeSetDocument } from '../functions/workspaces/change-set-document.js';
import { type WorkspaceManifest, workspaceIdOf } from '../functions/workspaces/manifest.js';
import { comparePaths, writablePathProblem } from '../functions/workspaces/paths.js';
import { WorkspaceInvalidError } from '../functions/workspaces/workspace-invalid-error.js';
import { normalizeWorkspacePath } from '../pipelines/workspace-paths.js';

/** What applying a change set did, paths sorted. */
export interface AppliedChangeSet {
  readonly written: readonly string[];
  readonly deleted: readonly string[];
}

/**
 * The folder changed since its snapshot where the change set touches it; nothing was written.
 * `path` is the first such path (sorted), `conflicts` how many there are in all.
 */
export class ChangeSetConflictError extends Error {
  override readonly name = 'ChangeSetConflict';

  constructor(
    readonly path: string,
    readonly conflicts: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Writes a run's change set into the folder the workspace was snapshotted from: new content for
 * created and changed files, deletion for deleted ones. Every touched path is checked first, and
 * nothing is written unless all pass: a file the run changed or deleted must still be the
 * snapshot's version (same SHA-256), a file it created must not exist yet, and no folder on the
 * way may be a symbolic link or a file (a link could lead the write out of `dir`). Otherwise it
 * rejects with {@link ChangeSetConflictError} naming the first such path.
 *
 * @example
 * await applyChangeSet('/home/me/repo', manifest, await readChangeSetDocument(artifacts, 'acme', runId));
 */
export async function applyChangeSet(
  dir: string,
  manifest: WorkspaceManifest,
  changeSet: ChangeSetDocument,
): Promise<AppliedChangeSet> {
  const workspaceId = workspaceIdOf(manifest);
  if (changeSet.workspaceId !== workspaceId) {
    throw new WorkspaceInvalidError(
      `The change set was made over workspace ${changeSet.workspaceId}, but the manifest given is workspace ${workspaceId}; apply it with the manifest of the workspace the run started with`,
    );
  }
  const snapshot = new Map(manifest.files.map((file) => [file.path, file.sha256]));
  const paths = Object.keys(changeSet.files).sort(comparePaths);
  for (const path of paths) {
    const problem =
      writablePathProblem(path) ?? (normalizeWorkspacePath(path) === path ? undefined : 'not normalized');
    if (problem !== undefined) {
      throw new WorkspaceInvalidError(
        `The change set names ${problem}; it was altered after the run wrote it, nothing was written`,
      );
    }
  }

  const conflicts: { path: string; problem: string }[] = [];
  for (const path of paths) {
    const problem =
      (await folderProblem(dir, path)) ?? (await fileProblem(join(dir, path), snapshot.get(path)));
    if (problem !== undefined) conflicts.push({ path, problem });
  }
  const [first] = conflicts;
  if (first !== undefined) {
    const others = conflicts.length - 1;
    const more = others === 0 ? '' : ` (and ${others} more ${others === 1 ? 'path' : 'paths'})`;
    throw new ChangeSetConflictError(
      first.path,
      conflicts.length,
      `${first.path} ${first.problem}${more}, so the run's changes would overwrite work done since: nothing was written. Commit or move those edits away and apply again, or apply the run's patch with git apply and resolve the conflicts`,
    );
  }

  const written: string[] = [];
  const deleted: string[] = [];
  for (const path of paths) {
    const change = changeSet.files[path];
    const target = join(dir, path);
    if (change !== undefined && 'content' in change) {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, change.content, 'utf8');
      written.push(path);
    } else {
      await rm(target, { force: true });
      deleted.push(path);
    }
  }
  return { written, deleted };
}

/** Why a folder on the way to `path` cannot be written through, or undefined. */
async function folderProblem(dir: string, path: string): Promise<string | undefined> {
  const segments = path.split('/');
  for (let depth = 1; depth < segments.length; depth += 1) {
    const folder = segments.slice(0, depth).join('/');
    const stats = await lstatOrUndefined(join(dir, folder));
    // A missing folder is created, and so is everything below it.
    if (stats === undefined) return undefined;
    if (stats.isSymbolicLink())
      return `is inside ${folder}, a symbolic link (a change set is never written through links)`;
    if (!stats.isDirectory()) return `is inside ${folder}, which is a file, not a folder`;
  }
  return undefined;
}

/** Why the file at `target` is not as the snapshot had it (`sha256`; undefined: it had none). */
async function fileProblem(target: string, sha256: string | undefined): Promise<string | undefined> {
  const stats = await lstatOrUndefined(target);
  if (sha256 === undefined)
    return stats === undefined ? undefined : 'exists, but the snapshot had no such file';
  if (stats === undefined) return 'was deleted since the snapshot';
  if (!stats.isFile()) return 'is no longer a regular file';
  const now = createHash('sha256')
    .update(await readFile(target))
    .digest('hex');
  return now === sha256 ? undefined : 'changed since the snapshot';
}

async function lstatOrUndefined(path: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

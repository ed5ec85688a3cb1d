import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitignoreRules } from '../functions/workspaces/gitignore-rules.js';
import type { SkippedPath, WorkspaceEntry } from '../functions/workspaces/manifest.js';
import { comparePaths, repositoryPathProblem } from '../functions/workspaces/paths.js';
import {
  contentSkipReason,
  gitignoredReason,
  MAX_FILE_BYTES,
  NOT_A_FILE_SKIP_REASON,
  SYMLINK_SKIP_REASON,
  sizeSkipReason,
  skippedNameReason,
  workspaceMode,
} from '../functions/workspaces/skip-rules.js';

/** A folder's files as a workspace keeps them, and what it leaves out, both sorted by path. */
export interface DirectorySnapshot {
  readonly entries: readonly WorkspaceEntry[];
  readonly skipped: readonly SkippedPath[];
}

/**
 * Reads a repository folder into the files of a workspace (for `storeWorkspace`), by the rules an
 * uploaded archive follows too (functions/workspaces/skip-rules.ts): `.gitignore` files, nested ones
 * included, are respected; `.git`, `node_modules`, binaries, non-UTF-8 text and files over 1 MiB
 * are left out. Symbolic links are never followed, so nothing outside `dir` is read; they are
 * listed as skipped, as are sockets and FIFOs. A folder left out is listed once (`dist/`), its
 * contents not read. `dir` is only read, never written.
 *
 * @example
 * const { entries, skipped } = await snapshotDirectory('/home/me/repo');
 */
export async function snapshotDirectory(dir: string): Promise<DirectorySnapshot> {
  const walk = new FolderWalk(dir);
  await walk.folder('');
  return {
    entries: walk.entries.sort((a, b) => comparePaths(a.path, b.path)),
    skipped: walk.skipped.sort((a, b) => comparePaths(a.path, b.path)),
  };
}

/** One walk over a folder tree, collecting what it keeps and what it leaves out. */
class FolderWalk {
  readonly entries: WorkspaceEntry[] = [];
  readonly skipped: SkippedPath[] = [];
  private readonly rules = new GitignoreRules();

  constructor(private readonly root: string) {}

  /** Walks `folder` (relative to the root; '' is the root), its `.gitignore` read before its entries. */
  async folder(folder: string): Promise<void> {
    const children = (await readdir(join(this.root, folder), { withFileTypes: true })).sort((a, b) =>
      comparePaths(a.name, b.name),
    );
    const gitignore = children.find((child) => child.name === '.gitignore' && child.isFile());
    if (gitignore !== undefined) await this.addGitignore(folder);

    for (const child of children) {
      const path = folder === '' ? child.name : `${folder}/${child.name}`;
      const isFolder = child.isDirectory();
      const reason =
        repositoryPathProblem(path) ??
        skippedNameReason(child.name) ??
        (child.isSymbolicLink() ? SYMLINK_SKIP_REASON : undefined) ??
        (isFolder || child.isFile() ? undefined : NOT_A_FILE_SKIP_REASON) ??
        ignoredReason(this.rules.ignoredBy(path, isFolder));
      if (reason !== undefined) this.skipped.push({ path: isFolder ? `${path}/` : path, reason });
      else if (isFolder) await this.folder(path);
      else await this.file(path);
    }
  }

  private async file(path: string): Promise<void> {
    const absolute = join(this.root, path);
    const stats = await lstat(absolute);
    const tooLarge = sizeSkipReason(stats.size);
    if (tooLarge !== undefined) {
      this.skipped.push({ path, reason: tooLarge });
      return;
    }
    const bytes = await readFile(absolute);
    // The file may have grown since lstat; the limit holds for what was read.
    const reason = sizeSkipReason(bytes.byteLength) ?? contentSkipReason(bytes);
    if (reason !== undefined) this.skipped.push({ path, reason });
    else this.entries.push({ path, mode: workspaceMode(stats.mode), bytes });
  }

  private async addGitignore(folder: string): Promise<void> {
    const file = join(this.root, folder, '.gitignore');
    if ((await lstat(file)).size > MAX_FILE_BYTES) return;
    this.rules.add(folder, await readFile(file, 'utf8'));
  }
}

function ignoredReason(ignored: { readonly gitignore: string } | undefined): string | undefined {
  return ignored === undefined ? undefined : gitignoredReason(ignored.gitignore);
}

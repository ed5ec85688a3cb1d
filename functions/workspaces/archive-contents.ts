import { GitignoreRules } from './gitignore-rules.js';
import type { SkippedPath, WorkspaceEntry } from './manifest.js';
import { comparePaths } from './paths.js';
import {
  contentSkipReason,
  gitignoredReason,
  sizeSkipReason,
  skippedNameReason,
  workspaceMode,
} from './skip-rules.js';
import { WorkspaceInvalidError } from './workspace-invalid-error.js';

/** A file of an archive whose entry passed every check, not yet sorted into kept and skipped. */
export interface ArchiveFile {
  /** Normalized workspace path. */
  readonly path: string;
  readonly mode: number;
  readonly size: number;
  /** Undefined when the file is too large to be kept (its content was never read), or refused. */
  readonly bytes: Buffer | undefined;
  /** Why the entry is refused (it is a link or a device) unless the workspace leaves it out. */
  readonly refusal?: string;
}

/** The files and folders of an archive, every entry checked. */
export interface ArchiveTree {
  readonly files: readonly ArchiveFile[];
  readonly folders: ReadonlySet<string>;
}

/**
 * The tree's files without its top folder when everything is inside one folder and no file sits
 * beside it: GitHub's `repo-main/`, or `tar czf repo.tar.gz repo/`. A repository whose only
 * top-level entry is a folder (no README, no .gitignore beside it) would lose that folder too;
 * callers that upload such trees pass `stripTopFolder: false`.
 */
export function withoutTopFolder(tree: ArchiveTree): readonly ArchiveFile[] {
  const paths = [...tree.files.map((file) => file.path), ...tree.folders];
  const tops = new Set(paths.map((path) => path.split('/')[0]));
  const [top] = tops;
  const besideTop = tree.files.some((file) => !file.path.includes('/'));
  if (tops.size !== 1 || top === undefined || besideTop) return tree.files;
  return tree.files.map((file) => ({ ...file, path: file.path.slice(top.length + 1) }));
}

/**
 * Sorts an archive's files into what the workspace keeps and what it leaves out, by the snapshot's
 * rules (skip-rules.ts): `.git/` and `node_modules/` anywhere, what the archive's own `.gitignore`
 * files ignore (so an archive of a folder gives the folder's snapshot), binaries, non-UTF-8 text
 * and files over 1 MiB. A folder left out is listed once (`node_modules/`). A refused entry the
 * workspace would keep rejects with `Workspace.Invalid`.
 */
export function selectFiles(files: readonly ArchiveFile[]): {
  readonly entries: WorkspaceEntry[];
  readonly skipped: SkippedPath[];
} {
  const skipped = new Map<string, string>();
  const candidates = files.filter((file) => {
    const left = skippedFolderOf(file.path);
    if (left !== undefined) skipped.set(left.path, left.reason);
    return left === undefined;
  });

  const rules = gitignoreRulesOf(candidates);
  const entries: WorkspaceEntry[] = [];
  for (const file of candidates) {
    const ignored = rules.ignoredBy(file.path, false);
    const reason =
      ignored === undefined
        ? (sizeSkipReason(file.size) ??
          (file.bytes === undefined ? undefined : contentSkipReason(file.bytes)))
        : gitignoredReason(ignored.gitignore);
    if (reason !== undefined) skipped.set(ignored?.ignored ?? file.path, reason);
    else if (file.refusal !== undefined) throw new WorkspaceInvalidError(file.refusal);
    else if (file.bytes !== undefined)
      entries.push({ path: file.path, mode: workspaceMode(file.mode), bytes: file.bytes });
  }
  return {
    entries: entries.sort((a, b) => comparePaths(a.path, b.path)),
    skipped: [...skipped]
      .map(([path, reason]) => ({ path, reason }))
      .sort((a, b) => comparePaths(a.path, b.path)),
  };
}

/** The outermost always-skipped folder (`.git`, `node_modules`) `path` is in or is, with its reason. */
function skippedFolderOf(path: string): SkippedPath | undefined {
  const segments = path.split('/');
  for (const [index, segment] of segments.entries()) {
    const reason = skippedNameReason(segment);
    if (reason === undefined) continue;
    const isFolder = index < segments.length - 1;
    return { path: segments.slice(0, index + 1).join('/') + (isFolder ? '/' : ''), reason };
  }
  return undefined;
}

/** The rules of every `.gitignore` among the files that is text the workspace could keep. */
function gitignoreRulesOf(files: readonly ArchiveFile[]): GitignoreRules {
  const rules = new GitignoreRules();
  for (const file of files) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    if (name !== '.gitignore' || file.bytes === undefined || contentSkipReason(file.bytes) !== undefined)
      continue;
    rules.add(file.path.slice(0, Math.max(0, file.path.lastIndexOf('/'))), file.bytes.toString('utf8'));
  }
  return rules;
}

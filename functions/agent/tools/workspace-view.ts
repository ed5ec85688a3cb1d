import { ErrorName } from '../../../pipelines/contract/errors.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';
import { ToolFailure } from './tool.js';

/**
 * The workspace as folders, over `WorkspaceFiles`' flat list of file paths: a folder is any path
 * prefix that files lie under. Every path here is workspace-relative and already checked
 * (`toolPath`); `''` is the root.
 */

/** The files under a folder, or one file, that Glob, Grep and LS look through. */
export type SearchScope = { readonly kind: 'file'; readonly path: string } | FolderScope;

export interface FolderScope {
  readonly kind: 'folder';
  readonly folder: string;
  /** Every file under it, workspace-relative and sorted. */
  readonly paths: readonly string[];
}

/** What a path names: a file, a folder and the files under it, or nothing (`File.NotFound`). The root is always a folder. */
export async function scopeOf(files: WorkspaceFiles, path: string): Promise<SearchScope> {
  const all = await files.list();
  if (path === '') return { kind: 'folder', folder: '', paths: all };
  if (all.includes(path)) return { kind: 'file', path };
  const paths = all.filter((candidate) => isUnder(path, candidate));
  if (paths.length === 0) throw notFound(path);
  return { kind: 'folder', folder: path, paths };
}

/** A folder's scope; a file there is `File.InvalidPath` pointing at Read. */
export async function folderScope(files: WorkspaceFiles, field: string, path: string): Promise<FolderScope> {
  const scope = await scopeOf(files, path);
  if (scope.kind === 'file') {
    throw new ToolFailure(
      ErrorName.FileInvalidPath,
      `${field}: ${path} is a file, not a folder; read it with Read`,
    );
  }
  return scope;
}

/** The file's text; a missing one is `File.NotFound`, pointing at LS when the path is a folder. */
export async function readExisting(files: WorkspaceFiles, path: string): Promise<string> {
  const content = await files.read(path);
  if (content !== undefined) return content;
  const all = await files.list();
  if (all.some((candidate) => isUnder(path, candidate))) {
    throw new ToolFailure(ErrorName.FileNotFound, `${path} is a folder, not a file; list it with LS`);
  }
  throw notFound(path);
}

/**
 * Refuses to write a file where a folder is (`src` while `src/a.js` exists) or under a file
 * (`src/a.js/b` while `src/a.js` exists): the workspace becomes a real folder tree when it is
 * checked out or tested, and neither could exist there.
 */
export async function assertWritable(files: WorkspaceFiles, path: string): Promise<void> {
  const all = await files.list();
  if (all.some((candidate) => isUnder(path, candidate))) {
    throw new ToolFailure(
      ErrorName.FileInvalidPath,
      `file_path: ${path} is a folder; write a file inside it`,
    );
  }
  const fileAbove = all.find((candidate) => isUnder(candidate, path));
  if (fileAbove !== undefined) {
    throw new ToolFailure(
      ErrorName.FileInvalidPath,
      `file_path: ${fileAbove} is a file, so ${path} cannot be created`,
    );
  }
}

/** `path` relative to `folder`, which it lies under. */
export function relativeTo(folder: string, path: string): string {
  return folder === '' ? path : path.slice(folder.length + 1);
}

function isUnder(folder: string, path: string): boolean {
  return path.startsWith(`${folder}/`);
}

function notFound(path: string): ToolFailure {
  return new ToolFailure(ErrorName.FileNotFound, `${path} does not exist in the workspace`);
}

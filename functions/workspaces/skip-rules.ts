import { isUtf8 } from 'node:buffer';

/**
 * What a workspace leaves out of a repository, the same for a folder snapshot and an uploaded
 * archive: git's own folder, installed dependencies, files `.gitignore` ignores, binaries and large
 * files. An agent reads and edits source text; the rest would only cost storage and tokens.
 */

/** Files larger than this are left out: generated or data files, not source an agent edits. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** How much of a file is searched for a NUL byte, git's own test for a binary file. */
const BINARY_SNIFF_BYTES = 8 * 1024;

/** Folders left out wherever they are, whatever `.gitignore` says. */
const SKIPPED_FOLDERS: Readonly<Record<string, string>> = {
  '.git': "git's own folder: a workspace holds the working tree only",
  node_modules: 'installed dependencies: install them again from the lockfile',
};

/** Why a file or folder named `name` is always left out, or undefined when it is not. */
export function skippedNameReason(name: string): string | undefined {
  return Object.hasOwn(SKIPPED_FOLDERS, name) ? SKIPPED_FOLDERS[name] : undefined;
}

/** Why a path `.gitignore` ignores is left out; `gitignore` is the file that decided it. */
export function gitignoredReason(gitignore: string): string {
  return `ignored by ${gitignore}`;
}

/** Why a file of `size` bytes is left out, or undefined when it is small enough. */
export function sizeSkipReason(size: number): string | undefined {
  if (size <= MAX_FILE_BYTES) return undefined;
  return `larger than 1 MiB (${size} bytes): workspaces hold source files; keep large files out of the repository or in .gitignore`;
}

/**
 * Why a file with these bytes is left out, or undefined when it is text a workspace can hold. A NUL
 * byte in the first 8 KiB marks a binary, as git decides it; the workspace stores and reads files as
 * UTF-8 text, so other bytes that are not UTF-8 are left out too rather than altered.
 */
export function contentSkipReason(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return 'binary (a NUL byte in its first 8 KiB): workspaces hold text files only';
  }
  if (!isUtf8(bytes)) return 'not UTF-8 text: workspaces hold text files only';
  return undefined;
}

/** Why a symbolic link is left out of a folder snapshot (it is never followed, in or out of the folder). */
export const SYMLINK_SKIP_REASON =
  'a symbolic link: workspaces hold regular files only, and links are never followed';

/** Why a socket, FIFO or device in a folder is left out. */
export const NOT_A_FILE_SKIP_REASON = 'not a regular file';

/**
 * The file mode a workspace records: 0o755 when any execute bit is set, 0o644 otherwise, as git
 * records modes. Owner, group and umask differences between machines then never change the
 * manifest, so the same tree always gets the same workspace id.
 */
export function workspaceMode(mode: number): number {
  return (mode & 0o111) === 0 ? 0o644 : 0o755;
}

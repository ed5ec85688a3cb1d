import { normalizeWorkspacePath } from '../../pipelines/workspace-paths.js';
import { type ArchiveFile, type ArchiveTree, selectFiles, withoutTopFolder } from './archive-contents.js';
import type { ArchiveEntry } from './archive-entry.js';
import type { SkippedPath, WorkspaceEntry } from './manifest.js';
import { fileFolderClash, repositoryPathProblem } from './paths.js';
import { MAX_FILE_BYTES } from './skip-rules.js';
import { tarGzEntries, tooLarge } from './tar-entries.js';
import { WorkspaceInvalidError } from './workspace-invalid-error.js';
import { zipEntries } from './zip-entries.js';

/** How large an uploaded repository archive may be, unless the caller says otherwise. */
export const ARCHIVE_LIMITS = {
  /** Unpacked bytes (a tar's headers included); the `.zip` itself may be as large, no larger. */
  maxBytes: 50 * 1024 * 1024,
  /** Entries, folders included. */
  maxEntries: 20_000,
} as const;

export interface UnpackOptions {
  readonly maxBytes?: number;
  readonly maxEntries?: number;
  /** Strip a single top folder (GitHub's `repo-main/`, see `withoutTopFolder`); default true. */
  readonly stripTopFolder?: boolean;
}

/** A repository archive's files the workspace keeps, and what it leaves out, both sorted by path. */
export interface UnpackedArchive {
  readonly entries: readonly WorkspaceEntry[];
  readonly skipped: readonly SkippedPath[];
}

/**
 * Unpacks a repository archive, `.tar.gz` or `.zip` (told apart by their first bytes), into the
 * files of a workspace. Every entry is checked before this returns, so a caller that stores the
 * result writes nothing for an archive that is refused: an entry whose path is absolute or climbs
 * out with `..` (or holds a drive letter, a backslash, a control character), a path listed twice,
 * or an archive past the limits rejects with `Workspace.Invalid`, naming the entry and what to do.
 * Files are then kept or left out by the snapshot's rules (archive-contents.ts); a link, device or
 * FIFO is refused the same way unless those rules leave it out (`node_modules/.bin/` is full of
 * links). The API answers `Workspace.Invalid` as a request the caller must fix.
 *
 * @example
 * const { entries, skipped } = await unpackArchive(createReadStream('repo.tar.gz'));
 */
export async function unpackArchive(
  source: AsyncIterable<Uint8Array>,
  options: UnpackOptions = {},
): Promise<UnpackedArchive> {
  const limits = {
    maxBytes: options.maxBytes ?? ARCHIVE_LIMITS.maxBytes,
    maxEntries: options.maxEntries ?? ARCHIVE_LIMITS.maxEntries,
  };
  const { head, bytes } = await peek(source, 4);
  let entries: AsyncIterable<ArchiveEntry>;
  if (head[0] === 0x1f && head[1] === 0x8b) entries = tarGzEntries(bytes, limits.maxBytes);
  else if (head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) {
    entries = zipEntries(await readAll(bytes, limits.maxBytes));
  } else {
    throw new WorkspaceInvalidError(
      `The archive is neither a .tar.gz nor a .zip (it starts with ${head.subarray(0, 4).toString('hex') || 'nothing'}); upload one, e.g. git archive --format=tar.gz HEAD > repo.tar.gz`,
    );
  }
  const tree = await checkedTree(entries, limits);
  return selectFiles(options.stripTopFolder === false ? tree.files : withoutTopFolder(tree));
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** An archive with no entry is only its end-of-directory record. */
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** Reads every entry, refusing the first that no workspace may hold. */
async function checkedTree(
  entries: AsyncIterable<ArchiveEntry>,
  limits: { readonly maxBytes: number; readonly maxEntries: number },
): Promise<ArchiveTree> {
  const files = new Map<string, ArchiveFile>();
  const folders = new Set<string>();
  let count = 0;
  let unpacked = 0;
  for await (const entry of entries) {
    count += 1;
    if (count > limits.maxEntries) {
      throw new WorkspaceInvalidError(
        `The archive holds more than ${limits.maxEntries} entries, the most a workspace archive may hold; leave generated files and dependencies out of it`,
      );
    }
    unpacked += entry.size;
    if (unpacked > limits.maxBytes) throw tooLarge(limits.maxBytes);
    const path = normalizeWorkspacePath(entry.name);
    // `./`, the folder a tar of `.` starts with, is the repository itself.
    if (entry.kind === 'folder' && path === '' && !entry.name.startsWith('/')) continue;
    const problem = repositoryPathProblem(entry.name);
    if (problem !== undefined) {
      throw new WorkspaceInvalidError(
        `Archive entry ${problem}. Create the archive from inside the repository folder, e.g. git archive --format=tar.gz HEAD > repo.tar.gz`,
      );
    }
    if (files.has(path) || (entry.kind === 'file' && folders.has(path))) {
      throw new WorkspaceInvalidError(
        `Archive entry "${entry.name}" appears twice; create the archive again`,
      );
    }
    const refusal = kindRefusal(entry);
    if (entry.kind === 'folder') folders.add(path);
    else if (refusal !== undefined)
      files.set(path, { path, mode: entry.mode, size: 0, bytes: undefined, refusal });
    else {
      const bytes = entry.size > MAX_FILE_BYTES ? undefined : await entry.read();
      files.set(path, { path, mode: entry.mode, size: bytes?.byteLength ?? entry.size, bytes });
    }
  }
  // A folder entry named like a file was refused as a duplicate above; here a file holds another.
  const clash = fileFolderClash(new Set(files.keys()));
  if (clash !== undefined) {
    throw new WorkspaceInvalidError(
      `Archive entry "${clash.file}" is a file, and also the folder of "${clash.inside}"; create the archive again`,
    );
  }
  return { files: [...files.values()], folders };
}

/**
 * Why an entry that is neither a file nor a folder is refused (links could point out of the
 * workspace), or undefined for a file or folder.
 */
function kindRefusal(entry: ArchiveEntry): string | undefined {
  const target = entry.linkTarget === undefined ? '' : ` (to "${entry.linkTarget}")`;
  const what = {
    file: undefined,
    folder: undefined,
    symlink: `a symbolic link${target}`,
    hardlink: `a hard link${target}`,
    special: 'a device, FIFO or other special file',
  }[entry.kind];
  if (what === undefined) return undefined;
  return `Archive entry "${entry.name}" is ${what}; a workspace holds regular files only: put the file itself in the archive, or leave the entry out`;
}

/** The first `count` bytes of a stream (fewer when it is shorter), and the whole stream again. */
async function peek(
  source: AsyncIterable<Uint8Array>,
  count: number,
): Promise<{ readonly head: Buffer; readonly bytes: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < count) {
    const next = await iterator.next();
    if (next.done) break;
    chunks.push(Buffer.from(next.value));
    length += next.value.byteLength;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    yield* chunks;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: Buffer.concat(chunks), bytes: replay() };
}

/** The whole stream in memory, refusing it past `maxBytes`. */
async function readAll(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source) {
    length += chunk.byteLength;
    if (length > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

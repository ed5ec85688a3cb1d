import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * What a pipeline may read when it loads: regular files inside its own folder, each at most
 * {@link MAX_LOADED_FILE_BYTES}. The loader runs on a laptop, in the API and at `cdk synth`, and what
 * it reads goes into the spec bundle, S3 and provider requests: a `file` part naming
 * `/proc/self/environ` once carried the deployer's keys into a deployed bundle. So a path must stay
 * inside the folder as written (no absolute paths, no `..` out) and as resolved (no link out), and
 * devices, FIFOs and directories are refused before a byte is read.
 */

/** The largest file a pipeline reads at load time (itself, a nested pipeline, a `file` part). */
export const MAX_LOADED_FILE_BYTES = 1_048_576;

/** Why a file was refused. */
export type RefusalReason = 'outside-folder' | 'not-a-file' | 'too-large';

/** A file the loader will not read, for a reason the user can act on. */
export class FileRefusedError extends Error {
  override readonly name = 'FileRefusedError';

  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a UTF-8 file that must lie inside `folder`; throws {@link FileRefusedError} for a file outside
 * it, one that is not a regular file or one over the size cap, and the file system's error (`ENOENT`)
 * for a missing one. The loader's one door to the file system, replaceable in tests.
 */
export type ReadTextFile = (absolutePath: string, folder: string) => Promise<string>;

/**
 * True when `path`, resolved against `folder`, names something inside it. A lexical check: it sees
 * `..` and absolute paths, not links, which {@link readFileInFolder} resolves.
 */
export function isInsideFolder(folder: string, path: string): boolean {
  const inside = relative(folder, resolve(folder, path));
  const leaves = inside === '..' || inside.startsWith(`..${sep}`);
  return inside !== '' && !leaves && !isAbsolute(inside);
}

/**
 * The disk implementation of {@link ReadTextFile}: resolves links on both sides, then opens the real
 * path without following a link swapped in since and without blocking on a FIFO, and checks the
 * opened file itself, so what is checked is what is read.
 *
 * @example
 * const text = await readFileInFolder('/work/pipelines/prompts/system.md', '/work/pipelines');
 */
export const readFileInFolder: ReadTextFile = async (absolutePath, folder) => {
  const [realFile, realFolder] = await Promise.all([realpath(absolutePath), realpath(folder)]);
  if (!isInsideFolder(realFolder, realFile)) {
    throw new FileRefusedError(
      'outside-folder',
      `${absolutePath} resolves to ${realFile}, outside the pipeline's folder ${realFolder}`,
    );
  }
  const handle = await open(realFile, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new FileRefusedError('not-a-file', `${absolutePath} is not a regular file`);
    }
    if (stats.size > MAX_LOADED_FILE_BYTES) {
      throw new FileRefusedError(
        'too-large',
        `${absolutePath} is ${stats.size} bytes, over the ${MAX_LOADED_FILE_BYTES}-byte limit of a file a pipeline reads`,
      );
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
};

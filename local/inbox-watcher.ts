import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** Options of {@link watchInbox}. */
export interface InboxWatcherOptions {
  /** The folder watched (recursively); created when missing. */
  readonly dir: string;
  /** Handles one settled file, by its path relative to `dir` with `/` separators. */
  readonly onFile: (relativePath: string, body: Buffer) => Promise<void>;
  readonly onError: (error: unknown, relativePath: string) => void;
  /**
   * How long a file must stay unchanged before it is handled, in milliseconds, so a file being
   * copied is read whole.
   * @default 150
   */
  readonly settleMs?: number;
}

/** A running watcher. */
export interface InboxWatcher {
  /** Stops watching and waits for the file being handled. */
  close(): Promise<void>;
}

/**
 * Watches a local folder the way EventBridge watches a bucket prefix: each file created or changed
 * in it is handed to `onFile` once it has settled, one file at a time in the order they settled.
 * Files already there when watching starts are handed over too. Hidden files (`.name`) and editor
 * backups (`name~`) are skipped.
 *
 * @example
 * const watcher = await watchInbox({ dir: '.elexirion/inbox', onFile, onError });
 */
export async function watchInbox(options: InboxWatcherOptions): Promise<InboxWatcher> {
  await mkdir(options.dir, { recursive: true });
  const settleMs = options.settleMs ?? 150;
  const timers = new Map<string, NodeJS.Timeout>();
  let queue = Promise.resolve();
  let closed = false;

  const handle = async (relative: string) => {
    const path = join(options.dir, relative);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return;
    await options.onFile(relative.split(sep).join('/'), await readFile(path));
  };
  const schedule = (relative: string) => {
    if (closed || relative.split(sep).some((part) => part.startsWith('.') || part.endsWith('~'))) return;
    clearTimeout(timers.get(relative));
    timers.set(
      relative,
      setTimeout(() => {
        timers.delete(relative);
        queue = queue.then(() =>
          handle(relative).catch((error: unknown) => options.onError(error, relative)),
        );
      }, settleMs),
    );
  };

  const watcher: FSWatcher = watch(options.dir, { recursive: true }, (_event, name) => {
    if (name) schedule(name.toString());
  });
  for (const entry of await readdir(options.dir, { recursive: true })) schedule(entry);

  return {
    async close() {
      closed = true;
      watcher.close();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await queue;
    },
  };
}

import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { closeServer } from './close-server.js';

/** A running dynalite server. */
export interface DynamoEmulator {
  readonly endpoint: string;
  /** Closes the server and its database, releasing the LevelDB lock. */
  stop(): Promise<void>;
}

/** Options of {@link startDynamoEmulator}. */
export interface DynamoEmulatorOptions {
  /** LevelDB directory, created when missing; in memory when absent. */
  readonly path?: string;
  /** Names the data directory in the error raised when another process holds the lock. */
  readonly dataDir: string;
}

/**
 * Another process holds the data directory (the LevelDB lock of its DynamoDB data). The person who
 * started both can fix it, so the CLI prints the message alone, without a stack trace.
 */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

/** The subset of `level`'s `Level` class the lock probe needs. */
type LevelClass = new (location: string) => { open(): Promise<void>; close(): Promise<void> };

/**
 * Starts dynalite in-process on a loopback port. With a `path`, the LevelDB lock is probed first:
 * dynalite opens its database lazily and a lock failure crashes the process on the first request.
 */
export async function startDynamoEmulator(options: DynamoEmulatorOptions): Promise<DynamoEmulator> {
  if (options.path !== undefined) await assertUnlocked(options.path, options.dataDir);
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}

/** Opens and closes the LevelDB directory, turning a held lock into a message a person can act on. */
async function assertUnlocked(path: string, dataDir: string): Promise<void> {
  // Loaded through dynalite's own resolution so the probe uses the very `level` dynalite opens with.
  const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = requireFromDynalite('level') as { Level: LevelClass };
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') {
      throw new DataDirLockedError(
        `Another elexirion process is using ${dataDir} (its DynamoDB data is locked). ` +
          'Stop that process, or pass a different data directory with --data-dir DIR.',
        { cause: error },
      );
    }
    throw error;
  }
  await db.close();
}

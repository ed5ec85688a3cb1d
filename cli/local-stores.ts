import { existsSync } from 'node:fs';
import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import type { RunStore } from '../functions/ports/run-store.js';
import { type LocalStack, startLocalStack } from '../local/emulators.js';
import { createLocalStores } from '../local/local-deps.js';
import { resolveDataDir } from './data-dir.js';
import { type CliIo, UsageError } from './io.js';

/** The local stores, opened for reading. */
export interface LocalStores {
  readonly stack: LocalStack;
  readonly runs: RunStore;
  readonly artifacts: ArtifactStore;
}

/**
 * Opens the local stack's stores for the read-only commands, runs `use`, and stops the stack.
 * A missing data directory is a usage error: there is nothing to read, and creating one would hide
 * a wrong `--data-dir`.
 */
export async function withLocalStores<T>(
  dataDirFlag: string | undefined,
  io: CliIo,
  use: (stores: LocalStores) => Promise<T>,
): Promise<T> {
  const dataDir = resolveDataDir(dataDirFlag, io);
  if (!existsSync(dataDir)) {
    throw new UsageError(
      `no local data in ${dataDir}; run a pipeline first (elexirion run FILE) or pass --data-dir`,
    );
  }
  const stack = await startLocalStack({ dataDir });
  try {
    return await use({ stack, ...createLocalStores(stack) });
  } finally {
    await stack.stop();
  }
}

import { resolve } from 'node:path';
import type { CliIo } from './io.js';

/** `--data-dir`, else `ELEXIRION_DATA_DIR`, else `.elexirion` in the current directory. */
export function resolveDataDir(flag: string | undefined, io: CliIo): string {
  return resolve(io.cwd ?? process.cwd(), flag ?? io.env.ELEXIRION_DATA_DIR ?? '.elexirion');
}

/**
 * Where the description of an option starts in a command's help (`  --flag ARG` padded to it), the
 * same in every command that takes `--data-dir`, so the shared line below lines up with the rest.
 */
export const HELP_COLUMN = 23;

/** The help text of the `--data-dir` option, shared by every command that reads the local stores. */
export const DATA_DIR_HELP = [
  `${'  --data-dir DIR'.padEnd(HELP_COLUMN)}where the local stack keeps its data (default: $ELEXIRION_DATA_DIR or`,
  `${''.padEnd(HELP_COLUMN)}./.elexirion)`,
].join('\n');

import { resolve } from 'node:path';
import type { CliIo } from './io.js';

/** `--data-dir`, else `ELEXIRION_DATA_DIR`, else `.elexirion` in the current directory. */
export function resolveDataDir(flag: string | undefined, io: CliIo): string {
  return resolve(io.cwd ?? process.cwd(), flag ?? io.env.ELEXIRION_DATA_DIR ?? '.elexirion');
}

/** The help text of the `--data-dir` option, shared by every command that reads the local stores. */
export const DATA_DIR_HELP =
  '  --data-dir DIR    where the local stack keeps its data (default: $ELEXIRION_DATA_DIR or ./.elexirion)';

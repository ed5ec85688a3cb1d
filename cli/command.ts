import type { CliIo } from './io.js';

/** A subcommand: its help text and what it does. */
export interface Command {
  readonly help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

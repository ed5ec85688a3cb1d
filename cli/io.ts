/**
 * Where a command writes, and the environment it reads; tests pass their own. Results (reports,
 * tables, JSON, the files written) go to `out`; progress, status and problems to `err`.
 */
export interface CliIo {
  readonly out: { write(text: string): unknown; isTTY?: boolean };
  readonly err: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against; defaults to the process's. */
  readonly cwd?: string;
}

/** Exit codes shared by every command. */
export const ExitCode = {
  Ok: 0,
  /** The run failed (a step failed for good). */
  RunFailed: 1,
  /** Bad usage or an invalid pipeline, on every command: nothing ran and nothing was written. */
  Usage: 2,
} as const;

/** A usage mistake found while reading arguments; `main` prints it with the command's help hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

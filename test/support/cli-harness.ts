import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.js';

/** What a CLI invocation printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch directory for one test: the CLI's cwd, with the local stack's data under `.elexirion`. */
export async function scratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'elexirion-e2e-'));
}

/**
 * Runs the `elexirion` command in-process, as a user would from `cwd`, capturing its output; `tty`
 * makes stdout and stderr look like a terminal, as `isTTY` does.
 */
export async function runCli(
  argv: string[],
  options: { cwd: string; env?: Record<string, string>; tty?: boolean },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const tty = options.tty === true;
  const code = await main(argv, {
    out: { write: (text: string) => (stdout += text), isTTY: tty },
    err: { write: (text: string) => (stderr += text), isTTY: tty },
    // No provider keys: the mock serves every step, as on a fresh machine.
    env: { ...options.env },
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}

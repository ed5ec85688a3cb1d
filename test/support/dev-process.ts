import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { scratchDir } from './cli-harness.js';

/** The API key the spawned servers take from their environment. */
export const DEV_KEY = 'e2e-key-0123456789abcdef';

/** A running `elexirion dev` in its own process. */
export interface DevProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** What it printed on stdout so far. */
  stdout(): string;
  /** What it printed on stderr so far. */
  stderr(): string;
  /** Resolves once it printed a line matching `pattern`. */
  printed(pattern: RegExp): Promise<void>;
  /** Resolves with its exit code once it exits. */
  exited: Promise<number | null>;
}

/**
 * Spawns `elexirion dev --port 0` on `dataDir` serving `pipelines/examples` with the mock provider,
 * with `args` after the usual ones and `env` added to its environment, and waits for its URL.
 */
export async function spawnDev(
  dataDir: string,
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<DevProcess> {
  const child = spawn(
    process.execPath,
    [
      resolve('cli/bin.js'),
      'dev',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--pipelines',
      resolve('pipelines/examples'),
      '--no-retry-wait',
      ...args,
    ],
    { cwd: await scratchDir(), env: { PATH: process.env.PATH ?? '', ELEXIRION_API_KEY: DEV_KEY, ...env } },
  );
  let output = '';
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const note = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', (chunk) => {
    output += chunk;
    stdout += chunk;
    note();
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
    stderr += chunk;
    note();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const printed = (pattern: RegExp) =>
    new Promise<void>((found, failed) => {
      const look = () => {
        if (!pattern.test(output)) return;
        waiters.delete(look);
        found();
      };
      waiters.add(look);
      look();
      void exited.then(() =>
        failed(new Error(`elexirion dev exited before printing ${pattern}:\n${output}`)),
      );
    });
  await printed(/listening on http:\/\/127\.0\.0\.1:\d+/);
  const url = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
  return {
    child,
    url: url?.[1] ?? '',
    port: Number(url?.[2]),
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    printed,
    exited,
  };
}

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { TestStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { WorkspaceFiles } from '../ports/workspace-files.js';
import { ElexirionError } from '../shared/errors.js';
import { OutputTail } from './output-tail.js';
import { parseSummary, type TestSummary } from './summary.js';
import { testEnvironment } from './test-env.js';

/** The most output kept: the log holds the last MiB a command printed. */
export const LOG_LIMIT_BYTES = 1024 * 1024;

/** The end of the output the result carries inline, for a quick look and for templates. */
export const TAIL_BYTES = 4096;

/** Files read from the workspace at once while it is written out (each read is an S3 GET). */
const READ_CONCURRENCY = 16;

/** What a test run found: the step's result, less the log's location (the step runner stores the log). */
export interface TestRunResult {
  /** The command exited 0 before its timeout. */
  readonly passed: boolean;
  /** The shell's exit code; null when it was killed. */
  readonly exit_code: number | null;
  readonly timed_out: boolean;
  readonly duration_ms: number;
  /** The counts the runner printed last, when its summary was recognized (see `summary.ts`). */
  readonly summary: TestSummary | null;
  /** The last 4 KiB of the output. */
  readonly tail: string;
}

/** Where a run happens, and what it may see of its parent's environment. */
export interface RunTestsOptions {
  /** The parent's environment, of which only PATH and the locale are passed on. @default process.env */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
  /** Where the run's temporary directory is made. @default os.tmpdir() */
  readonly tmpRoot?: string;
}

/**
 * Runs a test step's command on a copy of `files` (the run's workspace with its change set): the
 * files are written to a fresh temporary directory, the command runs there with `/bin/sh -c` in a
 * process group of its own and the environment of `testEnvironment`, and the group is killed when
 * the command outlives its timeout (and once the shell exits, so nothing it left behind runs on).
 * stdout and stderr are read into one log, interleaved as they arrive, of which the last MiB is
 * kept. The directory is removed afterwards, whatever happened.
 *
 * A failing command is a result (`passed: false`), not an error; only a workspace that cannot be
 * written out (`Workspace.Invalid`) or a shell that cannot start rejects.
 *
 * @example
 * const { result, log } = await runTests(files, { command: 'npm test', env: {}, timeoutSeconds: 600 });
 */
export async function runTests(
  files: WorkspaceFiles,
  spec: Pick<TestStepSpec, 'command' | 'env' | 'timeoutSeconds'>,
  options: RunTestsOptions = {},
): Promise<{ readonly result: TestRunResult; readonly log: string }> {
  const dir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), 'elexirion-test-'));
  try {
    await materialize(files, dir);
    const env = testEnvironment(options.parentEnv ?? process.env, dir, spec.env);
    return await runCommand(spec.command, dir, env, spec.timeoutSeconds * 1000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes every file of the workspace under `dir`, refusing a path that would land outside it. */
async function materialize(files: WorkspaceFiles, dir: string): Promise<void> {
  const limit = pLimit(READ_CONCURRENCY);
  const paths = await files.list();
  await Promise.all(
    paths.map((path) =>
      limit(async () => {
        const target = resolve(dir, path);
        if (!target.startsWith(`${dir}${sep}`)) {
          throw new ElexirionError(
            ErrorName.WorkspaceInvalid,
            `the workspace lists "${path}", a path outside it; recreate the workspace from the repository`,
          );
        }
        const content = await files.read(path);
        // Listed, then deleted by the change set in between: there is nothing to write.
        if (content === undefined) return;
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }),
    ),
  );
}

async function runCommand(
  command: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ readonly result: TestRunResult; readonly log: string }> {
  const started = performance.now();
  const output = new OutputTail(LOG_LIMIT_BYTES);
  // detached: the shell leads a new process group, so one kill reaches everything it started.
  const child = spawn('/bin/sh', ['-c', command], {
    cwd,
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  let exited = false;
  let timedOut = false;
  let exitCode: number | null = null;
  const timer = setTimeout(() => {
    timedOut = !exited;
    killGroup(child.pid);
    // A process that left the group (setsid) may still hold the pipes: stop reading them.
    child.stdout.destroy();
    child.stderr.destroy();
  }, timeoutMs);
  try {
    await new Promise<void>((done, fail) => {
      child.once('error', fail);
      child.once('exit', (code) => {
        exited = true;
        exitCode = code;
        // Background processes the command left would hold the pipes open, and run on.
        killGroup(child.pid);
      });
      child.once('close', () => done());
    });
  } finally {
    clearTimeout(timer);
  }
  const log = output.text();
  const dropped = output.dropped;
  return {
    result: {
      passed: !timedOut && exitCode === 0,
      exit_code: exitCode,
      timed_out: timedOut,
      duration_ms: Math.round(performance.now() - started),
      summary: parseSummary(log),
      tail: output.text(TAIL_BYTES),
    },
    log:
      dropped > 0
        ? `[${dropped} bytes of earlier output were dropped: the log keeps the last MiB]\n${log}`
        : log,
  };
}

/** Kills the process group `pid` leads; a group already gone is no error. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

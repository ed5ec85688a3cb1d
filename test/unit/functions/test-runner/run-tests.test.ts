import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOG_LIMIT_BYTES, runTests, TAIL_BYTES } from '../../../../functions/test-runner/run-tests.js';
import { memoryFiles as filesOf, NODE_TEST_PROJECT } from '../../../support/node-test-project.js';

/** Whether `pid` is a process that still runs (a zombie waiting to be reaped does not). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  // The state follows the parenthesised command name: `1234 (sleep) S …`.
  return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
}

let tmpRoot: string;
beforeEach(async () => {
  tmpRoot = await mkdtemp(join(tmpdir(), 'elexirion-run-tests-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('runTests', () => {
  it('runs a node:test suite on the files and reports a failing run as data, with its counts', async () => {
    // Act
    const { result, log } = await runTests(
      filesOf({ ...NODE_TEST_PROJECT }),
      { command: 'npm test', env: {}, timeoutSeconds: 120 },
      { tmpRoot },
    );

    // Assess
    expect(result).toMatchObject({
      passed: false,
      exit_code: 1,
      timed_out: false,
      summary: { passed: 1, failed: 1, skipped: 0 },
    });
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
    expect(log).toContain('not ok');
    expect(log).toContain('takes the median');
    expect(result.tail).toContain('# fail 1');
  });

  it('writes every file of the workspace, runs in a directory of its own, and removes it afterwards', async () => {
    // Prepare
    const files = filesOf({ 'README.md': 'hello\n', 'src/deep/median.js': 'export const median = 2;\n' });

    // Act
    const { result, log } = await runTests(
      files,
      {
        command: 'cat README.md src/deep/median.js && pwd && echo "home=$HOME"',
        env: {},
        timeoutSeconds: 60,
      },
      { tmpRoot },
    );

    // Assess: the files were there, in the directory the command ran in, which was HOME too
    expect(result).toMatchObject({ passed: true, exit_code: 0, summary: null });
    const [readme, median, cwd, home] = log.trim().split('\n');
    expect([readme, median]).toEqual(['hello', 'export const median = 2;']);
    expect(cwd?.startsWith(join(tmpRoot, 'elexirion-test-'))).toBe(true);
    expect(home).toBe(`home=${cwd}`);
    // Assess: nothing is left of it
    expect(await readdir(tmpRoot)).toEqual([]);
  });

  it('kills the whole process group of a command that outlives its timeout', async () => {
    // Prepare: the shell waits on a background sleep, which prints its pid
    const command = 'sleep 600 & echo "sleeper $!"; wait';

    // Act
    const { result } = await runTests(filesOf({}), { command, env: {}, timeoutSeconds: 1 }, { tmpRoot });

    // Assess
    expect(result).toMatchObject({ passed: false, timed_out: true, exit_code: null });
    const pid = Number(/sleeper (\d+)/.exec(result.tail)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(running(pid)).toBe(false);
    expect(await readdir(tmpRoot)).toEqual([]);
  });

  it('stops what a command left running in the background once it exits', async () => {
    // Prepare: without the group kill, the sleep would hold the output pipe open for 10 minutes
    const command = 'sleep 600 & echo "sleeper $!"';

    // Act
    const { result } = await runTests(filesOf({}), { command, env: {}, timeoutSeconds: 600 }, { tmpRoot });

    // Assess
    expect(result).toMatchObject({ passed: true, timed_out: false, exit_code: 0 });
    expect(running(Number(/sleeper (\d+)/.exec(result.tail)?.[1]))).toBe(false);
  });

  it("never passes the parent's provider keys or AWS credentials to the command", async () => {
    // Prepare: the parent holds a provider key and AWS credentials
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-parent-secret');
    vi.stubEnv('GEMINI_API_KEY', 'gemini-parent-secret');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'aws-parent-secret');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '/v2/credentials/parent');

    // Act: the command prints its whole environment
    const { result, log } = await runTests(
      filesOf({}),
      { command: 'env', env: { FEATURE_FLAG: 'on' }, timeoutSeconds: 60 },
      { tmpRoot },
    );

    // Assess
    expect(result.passed).toBe(true);
    const names = log
      .trim()
      .split('\n')
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(names).not.toContain('ANTHROPIC_API_KEY');
    expect(names.filter((name) => name.startsWith('AWS_') || name.endsWith('_API_KEY'))).toEqual([]);
    expect(log).not.toMatch(/parent-secret|credentials\/parent/);
    expect(log).toContain('FEATURE_FLAG=on');
    expect(log).toContain('CI=true');
  });

  it('keeps the last MiB of a flood of output, and the last 4 KiB inline', async () => {
    // Act: three MiB of numbered lines
    const { result, log } = await runTests(
      filesOf({}),
      { command: 'seq 1 400000', env: {}, timeoutSeconds: 60 },
      { tmpRoot },
    );

    // Assess
    expect(result.passed).toBe(true);
    expect(log).toMatch(/^\[\d+ bytes of earlier output were dropped: the log keeps the last MiB\]\n/);
    expect(log.endsWith('399999\n400000\n')).toBe(true);
    expect(Buffer.byteLength(log.slice(log.indexOf('\n') + 1))).toBeLessThanOrEqual(LOG_LIMIT_BYTES);
    expect(Buffer.byteLength(result.tail)).toBeLessThanOrEqual(TAIL_BYTES);
    expect(result.tail.endsWith('400000\n')).toBe(true);
  });

  it('refuses a workspace path that would land outside its directory, writing nothing', async () => {
    // Act
    const run = runTests(
      filesOf({ '../escaped.txt': 'x' }),
      { command: 'true', env: {}, timeoutSeconds: 60 },
      { tmpRoot },
    );

    // Assess
    await expect(run).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('../escaped.txt'),
    });
    expect(await readdir(tmpRoot)).toEqual([]);
  });
});

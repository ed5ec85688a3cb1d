import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/cli-harness.js';

const exec = promisify(execFile);
const BIN = resolve('cli/bin.js');

/** Runs the installed `elexirion` entry point as a separate process, as `npx elexirion` does. */
async function elexirion(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the elexirion executable', () => {
  it('prints help listing every command', async () => {
    const result = await elexirion(['--help'], await scratchDir());

    expect(result.code).toBe(0);
    for (const command of ['validate', 'compile', 'run', 'runs', 'show', 'dev'])
      expect(result.stdout).toContain(`  ${command}`);
  });

  it('runs the hello example end to end in its own process and exits 0', async () => {
    const cwd = await scratchDir();

    const result = await elexirion(['run', resolve('pipelines/examples/hello.yaml')], cwd);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SUCCEEDED {2}run /m);
  });

  it('exits 2 for an unknown command', async () => {
    const result = await elexirion(['deploy'], await scratchDir());

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "deploy"');
  });
});

describe('`npx elexirion dev`', () => {
  let npx: ChildProcess | undefined;
  afterEach(() => {
    // The whole process group the test started (npx, any shell, the server), in case a case failed.
    if (npx?.pid !== undefined) {
      try {
        process.kill(-npx.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    npx = undefined;
  });

  /** Whether something accepts connections on 127.0.0.1:port. */
  function listening(port: number): Promise<boolean> {
    return new Promise((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
  }

  it.each([
    ['SIGTERM', {}],
    ['SIGINT', {}],
    // A user's own script-shell (dash here) stays between npm and the server: bin.js notices.
    ['SIGTERM', { npm_config_script_shell: 'sh' }],
  ] as const)(
    'stops the server when the npx process gets %s (%j)',
    async (signal, env) => {
      // Prepare: `npx elexirion dev` from the project, as the README says, in a process group of its own
      const dataDir = await scratchDir();
      const { npm_config_script_shell: _, ...inherited } = process.env;
      npx = spawn('npx', ['elexirion', 'dev', '--port', '0', '--data-dir', join(dataDir, 'data')], {
        cwd: resolve('.'),
        env: { ...inherited, ...env, ELEXIRION_API_KEY: 'e2e-key-0123456789abcdef' },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npx.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      npx.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      const port = await new Promise<number>((found, failed) => {
        npx?.stdout?.on('data', () => {
          const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
          if (match?.[1]) found(Number(match[1]));
        });
        npx?.once('exit', (code) => failed(new Error(`npx exited with ${code}:\n${output}`)));
      });
      expect(await listening(port)).toBe(true);

      // Act: signal the npx process only, as `kill PID` would
      npx.kill(signal);

      // Assess: the server stops, closing its port
      let open = true;
      for (let i = 0; i < 100 && open; i++) {
        await sleep(100);
        open = await listening(port);
      }
      expect(open, output).toBe(false);
      expect(output).toContain(`${signal}: stopping`);
      expect(output).toContain('stopped');
    },
    120_000,
  );
});

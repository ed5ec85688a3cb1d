import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/cli-harness.js';

const exec = promisify(execFile);
const BIN = resolve('cli/bin.js');

/**
 * Runs the installed `elexirion` entry point as a separate process, as `npx elexirion` does: the
 * bundle while it is up to date, or the sources when `env` sets ELEXIRION_FROM_SOURCE.
 */
async function elexirion(args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
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

  it("prints package.json's version, from the bundle and from the sources alike", async () => {
    const { version } = JSON.parse(await readFile(resolve('package.json'), 'utf8'));
    const cwd = await scratchDir();

    const bundled = await elexirion(['--version'], cwd);
    const sources = await elexirion(['--version'], cwd, { ELEXIRION_FROM_SOURCE: '1' });

    expect(bundled).toEqual({ code: 0, stdout: `elexirion ${version}\n`, stderr: '' });
    expect(sources).toEqual(bundled);
  });
});

describe('the bundle `npm ci` builds (dist/cli.mjs)', () => {
  /** Runs main() from the bundle in a process of its own, with stdout and stderr piped. */
  async function bundled(args: string[], cwd: string) {
    const script = [
      `const { main } = await import(${JSON.stringify(resolve('dist/cli.mjs'))});`,
      `process.exitCode = await main(${JSON.stringify(args)}, { out: process.stdout, err: process.stderr, env: process.env });`,
    ].join('\n');
    try {
      const { stdout, stderr } = await exec(process.execPath, ['--input-type=module', '-e', script], {
        cwd,
        env: { PATH: process.env.PATH ?? '' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('builds, and runs as the sources do: help, validate, and a run on the local stack', async () => {
    // Prepare: build it, as `npm ci` (prepare) and `npm test` (pretest) do
    await exec(process.execPath, [resolve('cli/build.js')], { env: { PATH: process.env.PATH ?? '' } });
    const cwd = await scratchDir();

    // Act
    const help = await bundled(['--help'], cwd);
    const validate = await bundled(['validate', '--json', resolve('pipelines/examples/chain.yaml')], cwd);
    const run = await bundled(['run', resolve('pipelines/examples/hello.yaml'), '--json'], cwd);

    // Assess
    expect(help).toEqual(await elexirion(['--help'], cwd, { ELEXIRION_FROM_SOURCE: '1' }));
    expect(validate.code, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, pipeline: 'chain', issues: [] });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).status).toBe('SUCCEEDED');
  }, 120_000);
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
      const closed = new Promise((done) => npx?.once('close', done));
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
      // Every byte it printed is read once its pipes close (the server shares npx's), within bounds.
      await Promise.race([closed, sleep(15_000)]);
      expect(output).toContain(`${signal}: stopping`);
      expect(output).toContain('stopped');
    },
    120_000,
  );
});

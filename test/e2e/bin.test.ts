import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
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

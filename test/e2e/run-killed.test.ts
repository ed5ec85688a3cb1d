import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';

const BIN = resolve('cli/bin.js');

/** Starts `elexirion run` in its own process and kills it with SIGKILL once stderr shows `marker`. */
async function killWhenSeen(argv: string[], marker: string): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...argv], { env: { PATH: process.env.PATH ?? '' } });
  let stderr = '';
  await new Promise<void>((done, fail) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(marker)) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`run ended before it was killed:\n${stderr}`)),
    );
  });
  return stderr;
}

describe('elexirion run, killed in the middle of a run', () => {
  it('leaves a run the next command over the data directory closes FAILED instead of RUNNING forever', async () => {
    // Prepare: the first step is throttled, so the run sits in its 5 s Retry wait when it is killed
    const dir = await scratchDir();
    const dataDir = join(dir, 'data');
    const script = join(dir, 'throttled.yaml');
    await writeFile(script, 'outline:\n  - $error: rate_limit\n  - $error: rate_limit\n');
    await killWhenSeen(
      ['run', resolve('pipelines/examples/chain.yaml'), '--data-dir', dataDir, '--mock-script', script],
      'outline: ',
    );

    // Act: the next run over the same data directory
    const next = await runCli(['run', resolve('pipelines/examples/hello.yaml'), '--data-dir', dataDir], {
      cwd: dir,
    });
    const runs = await runCli(['runs', '--json', '--data-dir', dataDir], { cwd: dir });

    // Assess: the killed run is reported and closed with the local engine's error; the new one ran
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(
      /run \S+ was running when an earlier process ended: now FAILED \(Local\.ProcessDied\)/,
    );
    const records = JSON.parse(runs.stdout) as {
      pipeline: string;
      status: string;
      error?: { name: string };
    }[];
    expect(records.map((r) => [r.pipeline, r.status, r.error?.name]).sort()).toEqual([
      ['chain', 'FAILED', 'Local.ProcessDied'],
      ['hello', 'SUCCEEDED', undefined],
    ]);
  });
});

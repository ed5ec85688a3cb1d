import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';

/**
 * `run --mock-script`: every key of the script must name a step of the pipeline that calls a model,
 * checked before the run starts, so a typo cannot let a run pass on the mock's default answers.
 */

const CHAIN = resolve('pipelines/examples/chain.yaml');
const REPORT = resolve('pipelines/examples/report.yaml');

describe('run --mock-script keys', () => {
  it('rejects a key that matches no step, at its line, with the closest name, before anything is written', async () => {
    // Prepare
    const cwd = await scratchDir();
    const script = join(cwd, 'script.yaml');
    await writeFile(script, 'outline: ["An outline"]\noutlne:\n  - "typo"\n');

    // Act
    const result = await runCli(['run', CHAIN, '--mock-script', script, '--json'], { cwd });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${script}:2:1: outlne: no step of pipeline chain is named "outlne"; did you mean 'outline'? the steps that call a model: outline, review, revise`,
    );
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
  });

  it('names the scoped steps of nested pipelines, and accepts an unscoped key that matches exactly one', async () => {
    // Prepare
    const cwd = await scratchDir();
    const wrong = join(cwd, 'wrong.yaml');
    await writeFile(wrong, 'summary.drfat: ["x"]\n');
    const unscoped = join(cwd, 'unscoped.yaml');
    await writeFile(unscoped, 'draft: ["Sales were good."]\n');

    // Act
    const rejected = await runCli(['run', REPORT, '--mock-script', wrong, '--json'], { cwd });
    const accepted = await runCli(['run', REPORT, '--mock-script', unscoped, '--json'], { cwd });

    // Assess
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(
      `${wrong}:1:1: summary.drfat: no step of pipeline report is named "summary.drfat"; did you mean 'summary.draft'? the steps that call a model: summary.draft`,
    );
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout).outputs.summary).toEqual({ summary: 'Sales were good.' });
  });
});

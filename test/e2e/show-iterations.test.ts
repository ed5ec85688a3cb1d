import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';

/** `show` of a run with a loop and a skipped step: attempts grouped by iteration, the skip with its reason. */

const PIPELINE = [
  'workflow:',
  '  name: looped',
  '  steps:',
  '    - name: each',
  '      type: for_loop',
  '      iterator: file',
  '      data_source: "{{global_vars.files}}"',
  '      steps:',
  '        - name: review',
  '          type: claude',
  '          prompt: [{type: static, content: "Review {{loop.file}}"}]',
  '    - name: quiet',
  '      type: claude',
  '      condition: "global_vars.files.length > 5"',
  '      prompt: [{type: static, content: "Never"}]',
  '  global_vars:',
  '    files: [a.ts, b.ts]',
  '',
].join('\n');

describe('elexirion show', () => {
  it('groups attempts by iteration, numbered within each, and shows a skipped step with its reason', async () => {
    // Prepare
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'p.yaml'), PIPELINE);
    await writeFile(join(cwd, 'script.yaml'), 'review[1]:\n  - $error: rate_limit\n  - fixed\n');
    const run = await runCli(['run', 'p.yaml', '--mock-script', 'script.yaml', '--no-retry-wait', '--json'], {
      cwd,
    });
    const { runId, steps } = JSON.parse(run.stdout);

    // Act
    const table = await runCli(['show', runId], { cwd });
    const shown = JSON.parse((await runCli(['show', runId, '--json'], { cwd })).stdout);

    // Assess
    expect(run.code).toBe(0);
    expect(steps).toContainEqual({
      name: 'quiet',
      status: 'SKIPPED',
      reason: 'condition not met: length(global_vars.files) > 5',
      attempts: 0,
      degraded: false,
    });
    const rows = table.stdout.split('\n').filter((line) => /^(review|quiet)/.test(line));
    expect(rows.map((row) => row.split(/ {2,}/).slice(0, 3))).toEqual([
      ['review[0]', '1', 'SUCCEEDED'],
      ['review[1]', '1', 'FAILED'],
      ['review[1]', '2', 'SUCCEEDED'],
      ['quiet', '-', 'SKIPPED'],
    ]);
    expect(rows.at(-1)).toMatch(/condition not met: length\(global_vars\.files\) > 5$/);
    expect(shown.steps[0].attemptRecords.map((a: { iteration: number[] }) => a.iteration)).toEqual([
      [0],
      [1],
      [1],
    ]);
  });
});

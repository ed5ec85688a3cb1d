import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';

const TRIAGE = resolve('pipelines/examples/support-triage.yaml');

describe('elexirion optimize', () => {
  it.each([
    [['optimize'], /--pipeline NAME/],
    [
      ['optimize', '--pipeline', 'p', '--provider', 'openai'],
      /--provider must be one of auto, mock, anthropic, gemini/,
    ],
    [['optimize', '--pipeline', 'p', '--data-dir', 'nowhere'], /no local data/],
  ])('refuses %j with exit 2', async (argv, message) => {
    const result = await runCli(argv, { cwd: await scratchDir() });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('runs the compile job on the local runs and reports each step', async () => {
    // Prepare: three scored runs, one short of the step's min_examples
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'answers.yaml'), 'classify:\n  - billing\n');
    for (const ticket of ['refund', 'invoice', 'charge']) {
      const run = await runCli(
        ['run', TRIAGE, '--input', `ticket=${ticket}`, '--mock-script', 'answers.yaml'],
        { cwd },
      );
      expect(run.code, run.stderr).toBe(0);
    }

    // Act
    const json = await runCli(['optimize', '--pipeline', 'support_triage', '--provider', 'mock', '--json'], {
      cwd,
    });
    const table = await runCli(['optimize', '--pipeline', 'support_triage', '--provider', 'mock'], { cwd });

    // Assess
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      pipeline: 'support_triage',
      step: 'classify',
      status: 'skipped',
      reason: expect.stringContaining('need 4'),
    });
    expect(table.stdout).toMatch(/^STEP {6}OUTCOME/);
    expect(table.stdout).toContain('classify: ');
  }, 120_000);
});

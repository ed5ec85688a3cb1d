import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';

const EXAMPLE = resolve('pipelines/examples/robust-review.yaml');
/** The example's mock script, in pipelines/examples/mocks/ (or beside the example, where it was). */
const SCRIPT = [
  resolve('pipelines/examples/mocks/robust-review.mock.yaml'),
  resolve('pipelines/examples/robust-review.mock.yaml'),
].find((path) => existsSync(path)) as string;

/** The example's call count as docs/pipeline-language.md states it (the claude_robust section). */
async function documentedCalls(): Promise<number> {
  const docs = (await readFile(resolve('docs/pipeline-language.md'), 'utf8')).replace(/\s+/g, ' ');
  const stated =
    /`pipelines\/examples\/robust-review\.yaml` run with its mock script[^.]*? makes (\d+) provider calls/.exec(
      docs,
    );
  if (!stated) throw new Error('docs/pipeline-language.md no longer states the example call count');
  return Number(stated[1]);
}

describe('pipelines/examples/robust-review.yaml', () => {
  it('makes as many provider calls as the docs say, within its call budget, and `show` lists them', async () => {
    // Prepare
    const cwd = await scratchDir();
    const expected = await documentedCalls();

    // Act
    const run = await runCli(['run', EXAMPLE, '--mock-script', SCRIPT, '--no-retry-wait', '--json'], { cwd });
    const report = JSON.parse(run.stdout);
    const shown = await runCli(['show', report.runId, '--json'], { cwd });
    const table = await runCli(['show', report.runId], { cwd });

    // Assess: every attempt with a model is a provider call; the fallbacks that call none say `none`
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const review = JSON.parse(shown.stdout).steps.find((s: { name: string }) => s.name === 'review');
    const calls = review.attemptRecords.filter((a: { model: string }) => a.model !== 'none');
    expect(expected).toBe(3);
    expect(calls).toHaveLength(expected);
    expect(calls.map((a: { model: string }) => a.model)).toEqual([
      'claude-opus-4-8',
      'claude-opus-4-8',
      'claude-sonnet-4-6',
    ]);
    expect(report.steps.find((s: { name: string }) => s.name === 'review')).toMatchObject({
      callBudget: { total: 3 },
      providerCalls: expected,
      degradedReason: 'graceful_degradation',
    });
    expect(table.stdout).toContain(
      'review: 3 provider calls made; call budget 3: primary up to 2, fallback model up to 1',
    );
  });

  it('states the budget in the compiled definition', async () => {
    // Prepare
    const cwd = await scratchDir();

    // Act
    const result = await runCli(['compile', EXAMPLE, '--out', cwd], { cwd });

    // Assess
    expect(result.code).toBe(0);
    const asl = JSON.parse(await readFile(resolve(cwd, 'robust_review.asl.json'), 'utf8'));
    expect(asl.States.review.Comment).toContain(
      'call budget 3: primary up to 2, fallback model claude-sonnet-4-6 up to 1',
    );
    const bundle = JSON.parse(await readFile(resolve(cwd, 'robust_review.bundle.json'), 'utf8'));
    expect(bundle.steps.review.callBudget).toEqual({ total: 3, primary: 2, fallbackModel: 1, repairs: 2 });
  });
});

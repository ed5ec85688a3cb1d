import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TENANT, startLocalStack } from '../../local/emulators.js';
import { createLocalStores } from '../../local/local-deps.js';
import { ensureOptimizerEnv } from '../../local/optimizer-job.js';
import { runCli, scratchDir } from '../support/cli-harness.js';
import { elexirionCommands } from '../support/readme-commands.js';

/**
 * The README's optimizer walkthrough ("The prompt optimizer"), its commands exactly as written, run
 * from the repository root (the paths in it are relative to it) on a fresh data directory, with no
 * provider keys: it must end with a compiled pack, promoted on a measured held-out gain.
 */

beforeAll(async () => {
  await ensureOptimizerEnv();
}, 600_000);

describe('the README optimizer walkthrough', () => {
  it('runs the tickets on the mock script, then `optimize` compiles and promotes a pack on a held-out gain', async () => {
    // Prepare
    const readme = await readFile(resolve('README.md'), 'utf8');
    const commands = elexirionCommands(readme, (block) => block.includes('elexirion optimize'));
    const dataDir = await scratchDir();
    const env = { ELEXIRION_DATA_DIR: dataDir };
    const optimizeAt = commands.findIndex(([command]) => command === 'optimize');
    expect(
      commands.slice(0, optimizeAt).filter(([command]) => command === 'run').length,
    ).toBeGreaterThanOrEqual(10);
    expect(commands[optimizeAt]?.slice(0, 3)).toEqual(['optimize', '--pipeline', 'support_triage']);
    expect(commands.slice(optimizeAt + 1).map(([command]) => command)).toEqual(['run']);

    // Act
    const results = [];
    for (const argv of commands) results.push({ argv, ...(await runCli(argv, { cwd: resolve('.'), env })) });

    // Assess: every command succeeded, and optimize printed a promotion with its held-out scores
    for (const result of results) expect(result.code, `${result.argv.join(' ')}\n${result.stderr}`).toBe(0);
    const report = results[optimizeAt]?.stdout ?? '';
    const row = /^classify +promoted +(pack:\S+) +(\d\.\d\d) → (\d\.\d\d) +1 +(\d+)\/(\d+)$/m.exec(report);
    expect(row, report).not.toBeNull();
    const [, , before = '', after = '', train = '', heldOut = ''] = row ?? [];
    expect(Number(after)).toBeGreaterThan(Number(before));
    expect(Number(train)).toBeGreaterThanOrEqual(4);
    expect(Number(heldOut)).toBeGreaterThanOrEqual(1);
    expect(report).toMatch(
      /^classify: held-out score \d\.\d{3} vs active \d\.\d{3} on \d+ examples: \+\d\.\d{3} meets the margin/m,
    );

    // Assess: the run after it rendered the promoted pack, and its answer still scored
    const [, version] = row ?? [];
    const runId = /^SUCCEEDED {2}run (\S+)/m.exec(results.at(-1)?.stdout ?? '')?.[1] ?? '';
    const stack = await startLocalStack({ dataDir });
    try {
      const { runs } = createLocalStores(stack);
      const classify = (await runs.listAttempts(LOCAL_TENANT, runId)).find((a) => a.stepId === 'classify');
      expect(classify).toMatchObject({ status: 'SUCCEEDED', promptVersion: version });
      expect(await runs.listScores(LOCAL_TENANT, runId)).toMatchObject([
        { score: 1, promptVersion: version },
      ]);
    } finally {
      await stack.stop();
    }
  }, 600_000);
});

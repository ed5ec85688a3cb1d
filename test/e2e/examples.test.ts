import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMockScript } from '../../functions/providers/mock-script.js';
import { runCli, scratchDir } from '../support/cli-harness.js';

const EXAMPLES = resolve('pipelines/examples');

/** What the shell makes of `pipelines/examples/*.yaml`: the files directly in the folder, sorted. */
async function examplesGlob(): Promise<string[]> {
  const entries = await readdir(EXAMPLES, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(EXAMPLES, entry.name))
    .sort();
}

describe('the shipped examples', () => {
  it('pass `elexirion validate pipelines/examples/*.yaml`: the mock scripts live in mocks/, out of the glob', async () => {
    // Prepare
    const files = await examplesGlob();

    // Act
    const result = await runCli(['validate', ...files], { cwd: await scratchDir() });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^OK /gm)).toHaveLength(files.length);
    expect(files.some((file) => file.endsWith('.mock.yaml'))).toBe(false);
  });

  it('keep their mock scripts in pipelines/examples/mocks/, each a valid script', async () => {
    const dir = join(EXAMPLES, 'mocks');
    const scripts = (await readdir(dir)).filter((name) => name.endsWith('.mock.yaml'));

    expect(scripts).toEqual(expect.arrayContaining(['robust-review.mock.yaml']));
    for (const name of scripts) await expect(loadMockScript(join(dir, name))).resolves.toBeDefined();
  });
});

import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FILE, freshBundle, MANIFEST_FILE } from '../../../cli/launch.js';

/** A project root with two sources saved at `savedAt` and a bundle built from them at `builtAt`. */
async function project(savedAt: number, builtAt: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'elexirion-launch-'));
  await mkdir(join(root, 'cli'), { recursive: true });
  await mkdir(join(root, 'dist'), { recursive: true });
  for (const source of ['cli/main.ts', 'cli/io.ts']) {
    await writeFile(join(root, source), '// source\n');
    await utimes(join(root, source), savedAt / 1000, savedAt / 1000);
  }
  await writeFile(join(root, BUNDLE_FILE), '// bundle\n');
  await writeFile(
    join(root, MANIFEST_FILE),
    JSON.stringify({ startedAt: builtAt, inputs: ['cli/io.ts', 'cli/main.ts'] }),
  );
  return root;
}

const HOUR = 3_600_000;
const NOW = Date.now();

describe('freshBundle: which code `elexirion` runs', () => {
  it('the bundle, when every source it was built from was saved before the build', async () => {
    const root = await project(NOW - HOUR, NOW);

    expect(freshBundle(root, {})).toBe(join(root, BUNDLE_FILE));
  });

  it('the sources, once one of them is saved after the build', async () => {
    const root = await project(NOW - HOUR, NOW - HOUR / 2);
    await utimes(join(root, 'cli/io.ts'), NOW / 1000, NOW / 1000);

    expect(freshBundle(root, {})).toBeUndefined();
  });

  it('the sources, for a save in the second the build began (coarse file times)', async () => {
    const second = Math.floor(NOW / 1000) * 1000 - HOUR;
    const root = await project(second + 100, second + 900);

    expect(freshBundle(root, {})).toBeUndefined();
  });

  it('the sources, when a source it was built from is gone', async () => {
    const root = await project(NOW - HOUR, NOW);
    await rm(join(root, 'cli/io.ts'));

    expect(freshBundle(root, {})).toBeUndefined();
  });

  it.each([
    ['the bundle', BUNDLE_FILE],
    ['the manifest', MANIFEST_FILE],
  ])('the sources, when %s is missing (a clone before npm ci, a build cut short)', async (_what, file) => {
    const root = await project(NOW - HOUR, NOW);
    await rm(join(root, file));

    expect(freshBundle(root, {})).toBeUndefined();
  });

  it('the sources, when the manifest is not one', async () => {
    const root = await project(NOW - HOUR, NOW);
    await writeFile(join(root, MANIFEST_FILE), '{"startedAt": "soon"');

    expect(freshBundle(root, {})).toBeUndefined();
  });

  it('the sources, when ELEXIRION_FROM_SOURCE is set', async () => {
    const root = await project(NOW - HOUR, NOW);

    expect(freshBundle(root, { ELEXIRION_FROM_SOURCE: '1' })).toBeUndefined();
  });
});

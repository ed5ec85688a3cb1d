// Which code `elexirion` runs: the bundle cli/build.js made, while it is up to date, or else the
// TypeScript sources through tsx. Plain JavaScript, loaded by cli/bin.js before either.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The bundle, relative to the project root. */
export const BUNDLE_FILE = 'dist/cli.mjs';

/** `{startedAt, inputs}`: when the build began (ms) and the source files it bundled (root-relative). */
export const MANIFEST_FILE = 'dist/cli.manifest.json';

/**
 * The absolute path of the bundle when it may run: it and its manifest exist and every source file
 * it was built from is still there, last modified before the build began (so a source saved after,
 * or during, the build sends `elexirion` back to the sources). Costs one stat per bundled source, no
 * directory walk: a new file only matters once an existing one imports it, and that one changed.
 * Undefined, to run the sources, when any of that fails or `ELEXIRION_FROM_SOURCE` is set.
 *
 * @param {string} root the project root
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {string | undefined}
 */
export function freshBundle(root, env) {
  if (env.ELEXIRION_FROM_SOURCE) return undefined;
  try {
    const { startedAt, inputs } = JSON.parse(readFileSync(join(root, MANIFEST_FILE), 'utf8'));
    if (typeof startedAt !== 'number' || !Array.isArray(inputs) || inputs.length === 0) return undefined;
    // Whole seconds, for file systems that keep coarse times: a save in the second the build began
    // counts as after it (the sources run, correctly, until the next build).
    const since = Math.floor(startedAt / 1000) * 1000;
    for (const input of inputs) {
      if (typeof input !== 'string' || statSync(join(root, input)).mtimeMs >= since) return undefined;
    }
    const bundle = join(root, BUNDLE_FILE);
    statSync(bundle);
    return bundle;
  } catch {
    return undefined;
  }
}

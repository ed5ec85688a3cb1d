import { describe, expect, it } from 'vitest';
import { cachedBundleLoader } from '../../../../functions/shared/bundle-loader.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';

/** A memory artifact store holding `count` bundles, counting its reads by key. */
async function storeWithBundles(count: number) {
  const artifacts = new MemoryArtifactStore();
  for (let i = 0; i < count; i++) await artifacts.putJson(`b-${i}`, { pipeline: `p-${i}` });
  const reads: string[] = [];
  const getJson = artifacts.getJson.bind(artifacts);
  artifacts.getJson = <T>(key: string) => {
    reads.push(key);
    return getJson<T>(key);
  };
  return { artifacts, reads };
}

describe('cachedBundleLoader', () => {
  it('reads each bundle once, and a failed read again', async () => {
    // Prepare
    const { artifacts, reads } = await storeWithBundles(1);
    const load = cachedBundleLoader(artifacts);

    // Act
    await load('b-0');
    await load('b-0');
    await expect(load('missing')).rejects.toThrow();
    await expect(load('missing')).rejects.toThrow();

    // Assess
    expect(reads).toEqual(['b-0', 'missing', 'missing']);
  });

  it('keeps the 64 most recently used bundles', async () => {
    // Prepare: 64 bundles loaded, then the first used again
    const { artifacts, reads } = await storeWithBundles(66);
    const load = cachedBundleLoader(artifacts);
    for (let i = 0; i < 64; i++) await load(`b-${i}`);
    await load('b-0');

    // Act: a 65th bundle evicts the least recently used (b-1), not the first loaded
    await load('b-64');
    reads.length = 0;
    await load('b-0');
    await load('b-1');

    // Assess
    expect(reads).toEqual(['b-1']);
  });
});

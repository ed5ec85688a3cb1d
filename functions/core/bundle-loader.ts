import type { SpecBundle } from '../../statemachines/types.js';
import type { ArtifactStore } from './ports/artifact-store.js';

/** Bundles kept per process; each is a few kilobytes and content-addressed, so it never goes stale. */
const MAX_CACHED_BUNDLES = 64;

/**
 * A spec-bundle reader that fetches each bundle once per process (one Lambda container, one local
 * stack) and then serves it from memory.
 */
export function cachedBundleLoader(artifacts: ArtifactStore): (key: string) => Promise<SpecBundle> {
  const cache = new Map<string, Promise<SpecBundle>>();
  return (key) => {
    let bundle = cache.get(key);
    if (!bundle) {
      bundle = artifacts.getJson<SpecBundle>(key);
      // A failed read must not stay cached, or the next attempt could never succeed.
      bundle.catch(() => cache.delete(key));
      if (cache.size >= MAX_CACHED_BUNDLES) cache.delete(cache.keys().next().value as string);
      cache.set(key, bundle);
    }
    return bundle;
  };
}

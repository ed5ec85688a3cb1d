import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import { boundedCache } from './bounded-cache.js';

/** Bundles kept per process; each is a few kilobytes and content-addressed, so it never goes stale. */
const MAX_CACHED_BUNDLES = 64;

/**
 * A spec-bundle reader that fetches each bundle once per process (one Lambda container, one local
 * stack) and then serves it from memory.
 */
export function cachedBundleLoader(artifacts: ArtifactStore): (key: string) => Promise<SpecBundle> {
  const cache = boundedCache<string, Promise<SpecBundle>>({ maxSize: MAX_CACHED_BUNDLES });
  // A failed read does not stay cached (getOrSet drops a rejected promise), so a retry can succeed.
  return (key) => cache.getOrSet(key, () => artifacts.getJson<SpecBundle>(key));
}

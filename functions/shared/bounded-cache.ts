/** Options of {@link boundedCache}. */
export interface BoundedCacheOptions {
  /** Entries kept at most; setting one more evicts the least recently used. */
  readonly maxSize: number;
  /** How long an entry is served after it was set (ms); absent: until it is evicted. */
  readonly ttlMs?: number;
  /** The clock TTLs are measured on (ms); `Date.now` unless a test passes its own. */
  readonly now?: () => number;
}

/**
 * A size-bounded map with least-recently-used eviction and an optional time to live: the one cache
 * of the runtime's per-process memoisation (spec bundles, API keys, validators, prompt packs).
 * Values are never `undefined` (that reads as a miss).
 */
export interface BoundedCache<K, V extends NonNullable<unknown> | null> {
  /** The value of a live entry (it becomes the most recently used); undefined when absent or expired. */
  get(key: K): V | undefined;
  /** Stores the value, evicting the least recently used entry when the cache is full. */
  set(key: K, value: V): void;
  /**
   * The live value of `key`, or the one `create` makes, stored. A promise that rejects is dropped
   * again (if it is still the entry), so a failed load is retried by the next call.
   */
  getOrSet(key: K, create: () => V): V;
  delete(key: K): boolean;
  clear(): void;
  /** Entries held, expired ones not yet dropped included. */
  readonly size: number;
}

interface Entry<V> {
  readonly value: V;
  /** Epoch ms after which the entry is not served; Infinity without a TTL. */
  readonly expiresAt: number;
}

/**
 * A {@link BoundedCache}. Map keeps insertion order, so re-inserting an entry on each hit makes the
 * first key the least recently used.
 *
 * @example
 * const bundles = boundedCache<string, Promise<SpecBundle>>({ maxSize: 64 });
 * const bundle = bundles.getOrSet(key, () => artifacts.getJson(key));
 */
export function boundedCache<K, V extends NonNullable<unknown> | null>(
  options: BoundedCacheOptions,
): BoundedCache<K, V> {
  const { maxSize, ttlMs } = options;
  if (!Number.isInteger(maxSize) || maxSize < 1)
    throw new RangeError(`maxSize must be a positive integer, not ${maxSize}`);
  const now = options.now ?? Date.now;
  const entries = new Map<K, Entry<V>>();

  const get = (key: K): V | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    entries.delete(key);
    if (entry.expiresAt <= now()) return undefined;
    entries.set(key, entry);
    return entry.value;
  };

  const set = (key: K, value: V): void => {
    entries.delete(key);
    while (entries.size >= maxSize) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
    entries.set(key, { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs });
  };

  return {
    get,
    set,
    getOrSet(key, create) {
      const live = get(key);
      if (live !== undefined) return live;
      const value = create();
      set(key, value);
      if (value instanceof Promise) {
        value.catch(() => {
          if (entries.get(key)?.value === value) entries.delete(key);
        });
      }
      return value;
    },
    delete: (key) => entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

import { describe, expect, it } from 'vitest';
import { boundedCache } from '../../../../functions/shared/bounded-cache.js';

describe('boundedCache', () => {
  it('keeps at most maxSize entries, evicting the least recently used', () => {
    // Prepare
    const cache = boundedCache<string, number>({ maxSize: 3 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);

    // Act: reading a makes b the least recently used; setting d evicts it
    cache.get('a');
    cache.set('d', 4);
    cache.set('a', 10);

    // Assess
    expect(cache.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((key) => cache.get(key))).toEqual([10, undefined, 3, 4]);
  });

  it('serves an entry for ttlMs after it was set, and drops it after', () => {
    // Prepare
    let now = 1_000;
    const cache = boundedCache<string, string>({ maxSize: 10, ttlMs: 500, now: () => now });
    cache.set('k', 'v');

    // Act
    now = 1_499;
    const before = cache.get('k');
    now = 1_500;
    const at = cache.get('k');

    // Assess
    expect([before, at, cache.size]).toEqual(['v', undefined, 0]);
  });

  it('with a TTL of 0 serves nothing it stores', () => {
    const cache = boundedCache<string, string>({ maxSize: 10, ttlMs: 0, now: () => 5 });
    cache.set('k', 'v');
    expect(cache.get('k')).toBeUndefined();
  });

  it('getOrSet creates a value once, and drops a promise that rejects so the next call retries', async () => {
    // Prepare
    const cache = boundedCache<string, Promise<string>>({ maxSize: 10 });
    let calls = 0;
    const load = () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve(`v${calls}`);
    };

    // Act
    const failed = cache.getOrSet('k', load);
    const same = cache.getOrSet('k', load);
    await expect(failed).rejects.toThrow('down');
    const retried = await cache.getOrSet('k', load);
    const cached = await cache.getOrSet('k', load);

    // Assess
    expect(same).toBe(failed);
    expect([retried, cached, calls]).toEqual(['v2', 'v2', 2]);
  });

  it('keeps a newer value when an older rejected promise settles', async () => {
    // Prepare
    const cache = boundedCache<string, Promise<string>>({ maxSize: 10 });
    let fail: (error: Error) => void = () => {};
    const old = cache.getOrSet('k', () => new Promise<string>((_, reject) => (fail = reject)));
    cache.set('k', Promise.resolve('new'));

    // Act
    fail(new Error('late'));
    await expect(old).rejects.toThrow('late');

    // Assess
    expect(await cache.get('k')).toBe('new');
  });

  it('deletes and clears, and refuses a maxSize that is not a positive integer', () => {
    const cache = boundedCache<string, number>({ maxSize: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.delete('a')).toBe(true);
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
    expect(() => boundedCache({ maxSize: 0 })).toThrow(RangeError);
    expect(() => boundedCache({ maxSize: 1.5 })).toThrow(RangeError);
  });
});

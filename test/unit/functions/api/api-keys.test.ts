import { describe, expect, it, vi } from 'vitest';
import {
  apiKeyRecord,
  createKeyAuthenticator,
  generateApiKey,
  hashApiKey,
} from '../../../../functions/api/api-keys.js';
import { MemoryApiKeyStore } from '../../../../functions/stores/memory-api-key-store.js';

describe('API keys', () => {
  it('stores a key as its SHA-256 only, with a stable id from the hash', () => {
    // Act
    const record = apiKeyRecord('acme', 'elx_secret', { createdAt: 't' });

    // Assess
    expect(record).toEqual({
      tenantId: 'acme',
      keyId: record.keyHash.slice(0, 16),
      keyHash: hashApiKey('elx_secret'),
      createdAt: 't',
    });
    expect(JSON.stringify(record)).not.toContain('secret');
    expect(apiKeyRecord('acme', 'elx_secret', { createdAt: 'later' }).keyId).toBe(record.keyId);
  });

  it('generates distinct keys with 256 bits of randomness', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));

    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^elx_[A-Za-z0-9_-]{43}$/);
  });

  it("maps a key to its tenant, an unknown key to nothing, and remembers valid keys for the cache's lifetime", async () => {
    // Prepare
    const store = new MemoryApiKeyStore();
    await store.putKey(apiKeyRecord('acme', 'key-a', { createdAt: 't' }));
    const lookups = vi.spyOn(store, 'findByHash');
    let now = 0;
    const authenticate = createKeyAuthenticator(store, { cacheTtlMs: 1000, now: () => now });

    // Act
    const results = [await authenticate('key-a'), await authenticate('key-a'), await authenticate('nope')];
    await store.deleteKey('acme', apiKeyRecord('acme', 'key-a', { createdAt: 't' }).keyId);
    const cached = await authenticate('key-a');
    now = 1001;
    const expired = await authenticate('key-a');

    // Assess
    expect(results).toEqual(['acme', 'acme', undefined]);
    expect([cached, expired]).toEqual(['acme', undefined]);
    expect(lookups).toHaveBeenCalledTimes(3);
  });
});

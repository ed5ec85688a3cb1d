import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyStore } from '../ports/api-key-store.js';
import { boundedCache } from '../shared/bounded-cache.js';

/** Characters of the hash that name a key: enough to tell keys apart, too few to matter to an attacker. */
const KEY_ID_CHARS = 16;

/**
 * Hex SHA-256 of an API key. A fast hash is enough here: keys are 256 random bits, not passwords, so
 * there is nothing to brute-force; what matters is that a leaked table holds no usable key.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new API key: `elx_` and 32 random bytes in base64url. */
export function generateApiKey(): string {
  return `elx_${randomBytes(32).toString('base64url')}`;
}

/** The record that stores `key` for a tenant; the same key always gives the same `keyId`. */
export function apiKeyRecord(
  tenantId: string,
  key: string,
  options: { readonly createdAt: string; readonly label?: string },
): ApiKeyRecord {
  const keyHash = hashApiKey(key);
  return { tenantId, keyId: keyHash.slice(0, KEY_ID_CHARS), keyHash, ...options };
}

/** Options of {@link createKeyAuthenticator}. */
export interface KeyAuthenticatorOptions {
  /**
   * How long a valid key is remembered, in milliseconds; a revoked key keeps working that long in
   * a warm process, as with API Gateway's authorizer cache.
   * @default 30_000
   */
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}

/** Keys remembered at most, so a flood of distinct valid keys cannot grow the cache without bound. */
const MAX_CACHED_KEYS = 1000;

/**
 * Returns a function that maps a presented API key to its tenant, or undefined for an unknown key.
 * The stored hash is compared with the presented key's hash in constant time.
 *
 * @example
 * const authenticate = createKeyAuthenticator(keys);
 * const tenantId = await authenticate(bearerToken); // 'acme' or undefined
 */
export function createKeyAuthenticator(
  store: ApiKeyStore,
  options: KeyAuthenticatorOptions = {},
): (key: string) => Promise<string | undefined> {
  const ttl = options.cacheTtlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const cache = boundedCache<string, string>({ maxSize: MAX_CACHED_KEYS, ttlMs: ttl, now });
  return async (key) => {
    const keyHash = hashApiKey(key);
    const cached = cache.get(keyHash);
    if (cached !== undefined) return cached;
    const record = await store.findByHash(keyHash);
    if (!record || !sameHash(record.keyHash, keyHash)) return undefined;
    if (ttl > 0) cache.set(keyHash, record.tenantId);
    return record.tenantId;
  };
}

function sameHash(stored: string, presented: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(presented, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

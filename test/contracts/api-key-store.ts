import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiKeyRecord } from '../../functions/api/api-keys.js';
import type { ApiKeyStore } from '../../functions/ports/api-key-store.js';

/** How a contract run gets a store to test. */
export interface ApiKeyStoreContractOptions {
  /** Returns a ready store; called before each test. Tests use their own random tenants. */
  readonly create: () => ApiKeyStore | Promise<ApiKeyStore>;
}

/**
 * The behaviour every `ApiKeyStore` adapter must show.
 *
 * @example
 * describeApiKeyStore({ create: () => new MemoryApiKeyStore() });
 */
export function describeApiKeyStore({ create }: ApiKeyStoreContractOptions): void {
  describe('ApiKeyStore contract', () => {
    let store: ApiKeyStore;
    let tenant: string;
    const createdAt = '2026-11-02T10:00:00.000Z';

    beforeEach(async () => {
      store = await create();
      tenant = `t-${randomUUID()}`;
    });

    it('finds a key by its hash, exactly as put, and never by another hash', async () => {
      // Prepare
      const record = apiKeyRecord(tenant, `key-${randomUUID()}`, { createdAt, label: 'ci' });

      // Act
      await store.putKey(record);
      await store.putKey(record);

      // Assess
      expect(await store.findByHash(record.keyHash)).toStrictEqual(record);
      expect(await store.findByHash(apiKeyRecord(tenant, 'other', { createdAt }).keyHash)).toBeUndefined();
      expect(await store.listKeys(tenant)).toStrictEqual([record]);
    });

    it("lists a tenant's keys only", async () => {
      // Prepare
      const mine = apiKeyRecord(tenant, `key-${randomUUID()}`, { createdAt });
      await store.putKey(mine);
      await store.putKey(apiKeyRecord(`${tenant}-b`, `key-${randomUUID()}`, { createdAt }));

      // Act
      const listed = await store.listKeys(tenant);

      // Assess
      expect(listed).toStrictEqual([mine]);
    });

    it('stops finding a deleted key, and ignores deleting an unknown one', async () => {
      // Prepare
      const record = apiKeyRecord(tenant, `key-${randomUUID()}`, { createdAt });
      await store.putKey(record);

      // Act
      await store.deleteKey(`${tenant}-b`, record.keyId);
      const afterWrongTenant = await store.findByHash(record.keyHash);
      await store.deleteKey(tenant, record.keyId);
      await store.deleteKey(tenant, 'unknown');

      // Assess
      expect(afterWrongTenant).toStrictEqual(record);
      expect(await store.findByHash(record.keyHash)).toBeUndefined();
      expect(await store.listKeys(tenant)).toEqual([]);
    });
  });
}

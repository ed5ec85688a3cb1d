import type { ApiKeyRecord, ApiKeyStore } from '../ports/api-key-store.js';

/**
 * API keys in Maps, for unit tests and the in-process API tests.
 *
 * @example
 * const keys = new MemoryApiKeyStore();
 */
export class MemoryApiKeyStore implements ApiKeyStore {
  private readonly byHash = new Map<string, ApiKeyRecord>();

  async putKey(record: ApiKeyRecord): Promise<void> {
    this.byHash.set(record.keyHash, structuredClone(record));
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const record = this.byHash.get(keyHash);
    return record === undefined ? undefined : structuredClone(record);
  }

  async listKeys(tenantId: string): Promise<ApiKeyRecord[]> {
    return [...this.byHash.values()]
      .filter((record) => record.tenantId === tenantId)
      .sort((a, b) => (a.keyId < b.keyId ? -1 : 1))
      .map((record) => structuredClone(record));
  }

  async deleteKey(tenantId: string, keyId: string): Promise<void> {
    for (const [hash, record] of this.byHash) {
      if (record.tenantId === tenantId && record.keyId === keyId) this.byHash.delete(hash);
    }
  }
}

/** A tenant's API key as stored: never the key itself, only its SHA-256. */
export interface ApiKeyRecord {
  readonly tenantId: string;
  /** A short, stable id derived from the hash; safe to show and log. */
  readonly keyId: string;
  /** Hex SHA-256 of the key. */
  readonly keyHash: string;
  readonly createdAt: string;
  /** What the key is for, e.g. `elexirion dev`. */
  readonly label?: string;
}

/**
 * Per-tenant API keys (DynamoDB in the cloud and on the local stack). Keys are looked up by their
 * hash, since the tenant is what a key proves; they are also kept under their tenant for listing and
 * revoking. Writes are single items, ordered so that a key found by hash always has its tenant item.
 *
 * @example
 * await store.putKey({ tenantId: 'acme', keyId, keyHash: hashApiKey(key), createdAt });
 * const record = await store.findByHash(hashApiKey(presented));
 */
export interface ApiKeyStore {
  /** Stores a key; putting the same key again is harmless. */
  putKey(record: ApiKeyRecord): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listKeys(tenantId: string): Promise<ApiKeyRecord[]>;
  /** Revokes a key: it stops authenticating at once. Deleting an unknown key does nothing. */
  deleteKey(tenantId: string, keyId: string): Promise<void>;
}

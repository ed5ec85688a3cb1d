/** Where an artifact lives, as returned to the state machine instead of the artifact itself. */
export interface ArtifactRef {
  readonly bucket: string;
  readonly key: string;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Durable storage for step artifacts and spec bundles (S3 in the cloud and on the local stack).
 * Keys are built by `artifact-keys.ts`; adapters never invent them.
 *
 * @example
 * const ref = await store.putJson('tenants/acme/runs/r1/steps/plan/1.json', { text: 'ok' });
 * const body = await store.getJson(ref.key);
 */
export interface ArtifactStore {
  putJson(key: string, value: unknown): Promise<ArtifactRef>;
  /** Reads and parses a JSON artifact; rejects when the key does not exist. */
  getJson<T = unknown>(key: string): Promise<T>;
  /** Keys under a prefix, in lexical order. */
  list(prefix: string): Promise<string[]>;
  /** Writes UTF-8 text (a `file_ops` result in the workspace) with its media type. */
  putText(key: string, text: string, contentType: string): Promise<ArtifactRef>;
  /** Reads an object as UTF-8 text; rejects with `NoSuchKey` when the key does not exist. */
  getText(key: string): Promise<string>;
  /**
   * Reads an object's bytes as they arrive (an uploaded archive, which is binary and can be large);
   * rejects with `NoSuchKey` when the key does not exist.
   */
  getStream(key: string): Promise<AsyncIterable<Uint8Array>>;
  /** Size in bytes of the object at `key`, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** Copies an object inside the store; rejects with `NoSuchKey` when `from` does not exist. */
  copy(from: string, to: string): Promise<void>;
  /** Deletes objects; a key that does not exist is not an error. */
  delete(keys: readonly string[]): Promise<void>;
}

import type { ArtifactRef, ArtifactStore } from '../ports/artifact-store.js';
import { encodeJsonBody, encodeTextBody } from './json-body.js';

/**
 * Artifacts in a Map, for unit tests. Bodies are stored serialized, so reads return fresh copies and
 * the same digests as S3; a missing key rejects with an error named `NoSuchKey`, as S3's does.
 *
 * @example
 * const store = new MemoryArtifactStore();
 */
export class MemoryArtifactStore implements ArtifactStore {
  private readonly bodies = new Map<string, Buffer>();

  constructor(private readonly bucket = 'memory') {}

  async putJson(key: string, value: unknown): Promise<ArtifactRef> {
    const { body, sha256, bytes } = encodeJsonBody(value);
    this.bodies.set(key, body);
    return { bucket: this.bucket, key, sha256, bytes };
  }

  async getJson<T = unknown>(key: string): Promise<T> {
    return JSON.parse(this.body(key).toString('utf8')) as T;
  }

  async list(prefix: string): Promise<string[]> {
    // S3 lists keys in UTF-8 byte order, which differs from JavaScript's UTF-16 order past U+FFFF.
    return [...this.bodies.keys()]
      .filter((key) => key.startsWith(prefix))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  async putText(key: string, text: string, _contentType: string): Promise<ArtifactRef> {
    const { body, sha256, bytes } = encodeTextBody(text);
    this.bodies.set(key, body);
    return { bucket: this.bucket, key, sha256, bytes };
  }

  async getText(key: string): Promise<string> {
    return this.body(key).toString('utf8');
  }

  async getStream(key: string): Promise<AsyncIterable<Uint8Array>> {
    const body = Buffer.from(this.body(key));
    return (async function* () {
      yield body;
    })();
  }

  async size(key: string): Promise<number | undefined> {
    return this.bodies.get(key)?.byteLength;
  }

  async copy(from: string, to: string): Promise<void> {
    this.bodies.set(to, this.body(from));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.bodies.delete(key);
  }

  private body(key: string): Buffer {
    const body = this.bodies.get(key);
    if (body === undefined) {
      const error = new Error(`No artifact at ${key}`);
      error.name = 'NoSuchKey';
      throw error;
    }
    return body;
  }
}

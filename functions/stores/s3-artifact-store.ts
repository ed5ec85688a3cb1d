import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ArtifactRef, ArtifactStore } from '../ports/artifact-store.js';
import { encodeJsonBody, encodeTextBody } from './json-body.js';

/**
 * Artifacts as JSON objects in one S3 bucket. A missing key rejects with the SDK's `NoSuchKey` error.
 *
 * @example
 * const store = new S3ArtifactStore(new S3Client({}), 'elexirion-acme-artifacts');
 */
export class S3ArtifactStore implements ArtifactStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async putJson(key: string, value: unknown): Promise<ArtifactRef> {
    const { body, sha256, bytes } = encodeJsonBody(value);
    // A Buffer body, never a stream: s3rver mangles aws-chunked uploads (aws-facts §5.1).
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
    return { bucket: this.bucket, key, sha256, bytes };
  }

  async getJson<T = unknown>(key: string): Promise<T> {
    return JSON.parse(await this.getText(key)) as T;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix });
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) keys.push(object.Key);
      }
    }
    return keys;
  }

  async putText(key: string, text: string, contentType: string): Promise<ArtifactRef> {
    const { body, sha256, bytes } = encodeTextBody(text);
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
    return { bucket: this.bucket, key, sha256, bytes };
  }

  async getText(key: string): Promise<string> {
    const reply = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const text = await reply.Body?.transformToString('utf8');
    if (text === undefined) throw new Error(`S3 returned no body for s3://${this.bucket}/${key}`);
    return text;
  }

  async getStream(key: string): Promise<AsyncIterable<Uint8Array>> {
    const reply = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (reply.Body === undefined) throw new Error(`S3 returned no body for s3://${this.bucket}/${key}`);
    return reply.Body.transformToWebStream();
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      // HEAD replies carry no body, so a missing key surfaces as a bare 404 named NotFound.
      if ((error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async copy(from: string, to: string): Promise<void> {
    // CopySource is a URL path: each segment of the key is percent-encoded, the slashes are not.
    const source = `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`;
    await this.s3.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: source }));
  }

  async delete(keys: readonly string[]): Promise<void> {
    // One DeleteObject per key: DeleteObjects needs a Content-MD5 that the SDK no longer sends by default.
    for (const key of keys) await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

import { createHash } from 'node:crypto';

/** An artifact value serialized for storage, with the digest and size its `ArtifactRef` reports. */
export interface JsonBody {
  readonly body: Buffer;
  /** Hex SHA-256 of `body`. */
  readonly sha256: string;
  readonly bytes: number;
}

/** Serializes a value as UTF-8 JSON; rejects values JSON cannot represent (`undefined`, functions). */
export function encodeJsonBody(value: unknown): JsonBody {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) {
    throw new TypeError(`An artifact must be JSON-serializable; got ${typeof value}`);
  }
  return encodeTextBody(text);
}

/** Encodes text as UTF-8, with the digest and size its `ArtifactRef` reports. */
export function encodeTextBody(text: string): JsonBody {
  const body = Buffer.from(text, 'utf8');
  return { body, sha256: createHash('sha256').update(body).digest('hex'), bytes: body.byteLength };
}

import { createHash, randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../functions/ports/artifact-store.js';

/** How a contract run gets a store to test. */
export interface ArtifactStoreContractOptions {
  /** Returns a ready store; called before each test. Tests write under their own random tenant. */
  readonly create: () => ArtifactStore | Promise<ArtifactStore>;
}

/**
 * The behaviour every `ArtifactStore` adapter must show, run once per adapter (Hono's router style).
 *
 * @example
 * describeArtifactStore({ create: () => new MemoryArtifactStore() });
 */
export function describeArtifactStore({ create }: ArtifactStoreContractOptions): void {
  describe('ArtifactStore contract', () => {
    let store: ArtifactStore;
    let root: string;

    beforeEach(async () => {
      store = await create();
      root = `tenants/${randomUUID()}/`;
    });

    it('returns what was put, with the digest and size of its UTF-8 JSON', async () => {
      // Prepare
      const value = { text: 'héllo ✓', items: [1, 2.5, null, true], nested: { empty: {} } };
      const text = JSON.stringify(value);

      // Act
      const ref = await store.putJson(`${root}a.json`, value);
      const read = await store.getJson(`${root}a.json`);

      // Assess
      expect(read).toEqual(value);
      expect(ref).toEqual({
        bucket: expect.any(String),
        key: `${root}a.json`,
        sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
        bytes: Buffer.byteLength(text, 'utf8'),
      });
    });

    it('overwrites an existing key', async () => {
      // Prepare
      await store.putJson(`${root}a.json`, { version: 1 });

      // Act
      await store.putJson(`${root}a.json`, { version: 2 });

      // Assess
      expect(await store.getJson(`${root}a.json`)).toEqual({ version: 2 });
    });

    it('rejects getJson of a missing key with NoSuchKey', async () => {
      // Act
      const read = store.getJson(`${root}missing.json`);

      // Assess
      await expect(read).rejects.toMatchObject({ name: 'NoSuchKey' });
    });

    it('lists the keys under a prefix in lexical order, and nothing else', async () => {
      // Prepare
      for (const key of ['runs/r1/b.json', 'runs/r1/a.json', 'runs/r10/a.json', 'runs/r2/a.json']) {
        await store.putJson(`${root}${key}`, {});
      }

      // Act
      const keys = await store.list(`${root}runs/r1/`);

      // Assess
      expect(keys).toEqual([`${root}runs/r1/a.json`, `${root}runs/r1/b.json`]);
      expect(await store.list(`${root}nothing/`)).toEqual([]);
    });

    it('stores text as written, with the digest and size of its UTF-8 bytes', async () => {
      // Prepare
      const text = 'name,city\nAda,Zürich\n';

      // Act
      const ref = await store.putText(`${root}workspace/people.csv`, text, 'text/csv');

      // Assess
      expect(await store.getText(`${root}workspace/people.csv`)).toBe(text);
      expect(ref).toMatchObject({
        key: `${root}workspace/people.csv`,
        sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
        bytes: Buffer.byteLength(text, 'utf8'),
      });
      expect(await store.size(`${root}workspace/people.csv`)).toBe(Buffer.byteLength(text, 'utf8'));
      expect(await store.size(`${root}workspace/missing.csv`)).toBeUndefined();
      await expect(store.getText(`${root}workspace/missing.csv`)).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
    });

    it('copies an object, keys with spaces and non-ASCII letters included', async () => {
      // Prepare
      await store.putText(`${root}workspace/in/a b ü.txt`, 'hello', 'text/plain');

      // Act
      await store.copy(`${root}workspace/in/a b ü.txt`, `${root}workspace/out/copy.txt`);

      // Assess
      expect(await store.getText(`${root}workspace/out/copy.txt`)).toBe('hello');
      expect(await store.getText(`${root}workspace/in/a b ü.txt`)).toBe('hello');
      await expect(store.copy(`${root}workspace/none.txt`, `${root}workspace/x.txt`)).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
    });

    it('deletes objects, ignoring keys that do not exist', async () => {
      // Prepare
      await store.putText(`${root}workspace/a.txt`, 'a', 'text/plain');
      await store.putText(`${root}workspace/b.txt`, 'b', 'text/plain');

      // Act
      await store.delete([`${root}workspace/a.txt`, `${root}workspace/missing.txt`]);

      // Assess
      expect(await store.list(`${root}workspace/`)).toEqual([`${root}workspace/b.txt`]);
    });
  });
}

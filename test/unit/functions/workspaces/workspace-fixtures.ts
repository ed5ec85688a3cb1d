import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ArtifactRef, ArtifactStore } from '../../../../functions/ports/artifact-store.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';

/** An artifact store that records every write, to tell what (and how many) a call stored. */
export class CountingArtifactStore implements ArtifactStore {
  /** The keys written, in order: by putJson, putText or copy. */
  readonly puts: string[] = [];
  readonly inner = new MemoryArtifactStore();

  async putJson(key: string, value: unknown): Promise<ArtifactRef> {
    this.puts.push(key);
    return this.inner.putJson(key, value);
  }

  getJson<T = unknown>(key: string): Promise<T> {
    return this.inner.getJson<T>(key);
  }

  list(prefix: string): Promise<string[]> {
    return this.inner.list(prefix);
  }

  async putText(key: string, text: string, contentType: string): Promise<ArtifactRef> {
    this.puts.push(key);
    return this.inner.putText(key, text, contentType);
  }

  getText(key: string): Promise<string> {
    return this.inner.getText(key);
  }

  getStream(key: string): Promise<AsyncIterable<Uint8Array>> {
    return this.inner.getStream(key);
  }

  size(key: string): Promise<number | undefined> {
    return this.inner.size(key);
  }

  async copy(from: string, to: string): Promise<void> {
    this.puts.push(to);
    await this.inner.copy(from, to);
  }

  delete(keys: readonly string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

/** A file of a test tree: its text or bytes, and optionally its mode. */
export type TreeFile = string | Buffer | { readonly content: string | Buffer; readonly mode: number };

/** Writes the files into a new folder under the system's temporary folder and returns its path. */
export async function makeTree(files: Readonly<Record<string, TreeFile>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'elexirion-workspace-'));
  for (const [path, file] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    const content = typeof file === 'string' || Buffer.isBuffer(file) ? file : file.content;
    await writeFile(target, content);
    if (typeof file === 'object' && !Buffer.isBuffer(file)) await chmod(target, file.mode);
  }
  return root;
}

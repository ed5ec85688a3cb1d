import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { artifactKeys } from '../../../functions/shared/artifact-keys.js';
import { readManifest } from '../../../functions/workspaces/manifest.js';
import { storeWorkspace } from '../../../functions/workspaces/store-workspace.js';
import { snapshotDirectory } from '../../../local/workspace-snapshot.js';
import { CountingArtifactStore, makeTree } from '../functions/workspaces/workspace-fixtures.js';

const MiB = 1024 * 1024;
const folders: string[] = [];

/** A tree in a new temporary folder, removed after the test. */
async function tree(files: Parameters<typeof makeTree>[0]): Promise<string> {
  const dir = await makeTree(files);
  folders.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('snapshotDirectory', () => {
  it('leaves out what the .gitignore files ignore, a nested one overriding its parent', async () => {
    // Prepare
    const dir = await tree({
      '.gitignore': 'dist/\n*.log\n',
      'README.md': '# demo\n',
      'debug.log': 'noise\n',
      'dist/bundle.js': 'built\n',
      'src/.gitignore': 'generated.ts\n!keep.log\n',
      'src/index.ts': 'export {};\n',
      'src/generated.ts': 'export const x = 1;\n',
      'src/keep.log': 'kept on purpose\n',
      'src/deep/trace.log': 'still ignored by the top .gitignore\n',
    });

    // Act
    const { entries, skipped } = await snapshotDirectory(dir);

    // Assess
    expect(entries.map((entry) => entry.path)).toEqual([
      '.gitignore',
      'README.md',
      'src/.gitignore',
      'src/index.ts',
      'src/keep.log',
    ]);
    expect(skipped).toEqual([
      { path: 'debug.log', reason: 'ignored by .gitignore' },
      { path: 'dist/', reason: 'ignored by .gitignore' },
      { path: 'src/deep/trace.log', reason: 'ignored by .gitignore' },
      { path: 'src/generated.ts', reason: 'ignored by src/.gitignore' },
    ]);
  });

  it('leaves out .git, node_modules, binaries and files over 1 MiB, each with its reason', async () => {
    // Prepare: one file exactly at the limit (kept) and one a byte over (left out)
    const dir = await tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'node_modules/left-pad/index.js': 'module.exports = 1;\n',
      'packages/app/node_modules/dep.js': 'nested dependencies are left out too\n',
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      'at-limit.txt': 'a'.repeat(MiB),
      'over-limit.txt': 'a'.repeat(MiB + 1),
      'run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o750 },
    });

    // Act
    const { entries, skipped } = await snapshotDirectory(dir);

    // Assess
    expect(entries.map((entry) => [entry.path, entry.mode])).toEqual([
      ['at-limit.txt', 0o644],
      ['run.sh', 0o755],
    ]);
    expect(Object.fromEntries(skipped.map((entry) => [entry.path, entry.reason]))).toEqual({
      '.git/': expect.stringContaining("git's own folder"),
      'latin1.txt': expect.stringContaining('not UTF-8'),
      'logo.png': expect.stringContaining('binary'),
      'node_modules/': expect.stringContaining('installed dependencies'),
      'over-limit.txt': expect.stringContaining(`larger than 1 MiB (${MiB + 1} bytes)`),
      'packages/app/node_modules/': expect.stringContaining('installed dependencies'),
    });
  });

  it('lists symbolic links as skipped and never follows one out of the folder', async () => {
    // Prepare: a link to a folder outside the tree, and one to a file inside it
    const outside = await tree({ 'secret.txt': 'outside the repository\n' });
    const dir = await tree({ 'README.md': '# demo\n' });
    await symlink(outside, join(dir, 'elsewhere'));
    await symlink('README.md', join(dir, 'readme-link.md'));

    // Act
    const { entries, skipped } = await snapshotDirectory(dir);

    // Assess
    expect(entries.map((entry) => entry.path)).toEqual(['README.md']);
    expect(skipped).toEqual([
      { path: 'elsewhere', reason: expect.stringContaining('symbolic link') },
      { path: 'readme-link.md', reason: expect.stringContaining('symbolic link') },
    ]);
  });

  it('leaves the folder byte for byte as it was', async () => {
    // Prepare
    const dir = await tree({
      '.gitignore': 'dist/\n',
      'dist/out.js': 'built\n',
      'src/index.ts': 'export {};\n',
      '.git/config': '[core]\n',
    });
    const before = await describeTree(dir);

    // Act
    const { entries, skipped } = await snapshotDirectory(dir);
    await storeWorkspace(new CountingArtifactStore(), 'acme', entries, skipped);

    // Assess
    expect(await describeTree(dir)).toEqual(before);
  });
});

describe('storeWorkspace over a folder snapshot', () => {
  it('gives the same tree the same workspace id, and stores nothing twice', async () => {
    // Prepare: two copies of one tree, and a third with one file changed
    const files = {
      'README.md': '# demo\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': 'export {};\n',
    };
    const first = await snapshotDirectory(await tree(files));
    const copy = await snapshotDirectory(await tree(files));
    const changed = await snapshotDirectory(await tree({ ...files, 'src/a.ts': 'export const a = 2;\n' }));
    const store = new CountingArtifactStore();
    const stored = await storeWorkspace(store, 'acme', first.entries, first.skipped);
    store.puts.length = 0;

    // Act
    const again = await storeWorkspace(store, 'acme', copy.entries, copy.skipped);
    const putsForCopy = store.puts.splice(0);
    const other = await storeWorkspace(store, 'acme', changed.entries, changed.skipped);

    // Assess: the copy writes nothing; the changed tree writes its one new blob and its manifest
    expect(again.workspaceId).toBe(stored.workspaceId);
    expect(putsForCopy).toEqual([]);
    expect(other.workspaceId).not.toBe(stored.workspaceId);
    const newBlob = createHash('sha256').update('export const a = 2;\n').digest('hex');
    expect(store.puts).toEqual([
      artifactKeys.workspaceBlob('acme', newBlob),
      artifactKeys.workspaceManifest('acme', other.workspaceId),
    ]);
  });

  it('writes a manifest of sorted files with sizes, digests and modes, and the skipped paths', async () => {
    // Prepare
    const dir = await tree({ 'b.txt': 'bee\n', 'a.txt': 'ay\n', 'node_modules/x.js': 'x\n' });
    const { entries, skipped } = await snapshotDirectory(dir);
    const store = new CountingArtifactStore();

    // Act
    const stored = await storeWorkspace(store, 'acme', entries, skipped);

    // Assess
    const manifest = await readManifest(store, 'acme', stored.workspaceId);
    expect(stored).toMatchObject({ files: 2, skipped: [{ path: 'node_modules/' }] });
    expect(manifest.files).toEqual([
      { path: 'a.txt', size: 3, sha256: createHash('sha256').update('ay\n').digest('hex'), mode: 0o644 },
      { path: 'b.txt', size: 4, sha256: createHash('sha256').update('bee\n').digest('hex'), mode: 0o644 },
    ]);
    expect(await store.getText(artifactKeys.workspaceBlob('acme', manifest.files[1]?.sha256 ?? ''))).toBe(
      'bee\n',
    );
  });
});

/** Every path under `dir` with its type, mode, size, mtime and content digest. */
async function describeTree(dir: string, folder = ''): Promise<Record<string, string>> {
  const description: Record<string, string> = {};
  for (const name of (await readdir(join(dir, folder))).sort()) {
    const path = join(folder, name);
    const stats = await lstat(join(dir, path));
    const digest = stats.isFile()
      ? createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex')
      : '';
    description[path] = `${stats.mode.toString(8)} ${stats.size} ${stats.mtimeMs} ${digest}`;
    if (stats.isDirectory()) Object.assign(description, await describeTree(dir, path));
  }
  return description;
}

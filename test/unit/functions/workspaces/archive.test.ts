import { describe, expect, it } from 'vitest';
import { artifactKeys } from '../../../../functions/shared/artifact-keys.js';
import { unpackArchive } from '../../../../functions/workspaces/archive.js';
import { storeWorkspaceArchive } from '../../../../functions/workspaces/store-workspace.js';
import { type TestEntry, tarGz, upload, zip } from './archive-builders.js';
import { CountingArtifactStore } from './workspace-fixtures.js';

const MiB = 1024 * 1024;

/** A small repository as GitHub's archives hold it: everything inside `demo-main/`. */
const REPOSITORY: readonly TestEntry[] = [
  { name: 'demo-main/', type: 'directory', mode: 0o755 },
  { name: 'demo-main/.gitignore', content: 'coverage/\n' },
  { name: 'demo-main/README.md', content: '# demo\n' },
  { name: 'demo-main/bin/run.sh', content: '#!/bin/sh\n', mode: 0o755 },
  { name: 'demo-main/src/index.ts', content: 'export {};\n' },
  { name: 'demo-main/coverage/lcov.info', content: 'TN:\n' },
  { name: 'demo-main/node_modules/dep/index.js', content: 'module.exports = 1;\n' },
  { name: 'demo-main/.git/HEAD', content: 'ref: refs/heads/main\n' },
  { name: 'demo-main/logo.png', content: Buffer.from([0x89, 0x50, 0x00, 0x01]) },
  { name: 'demo-main/data.csv', content: 'x'.repeat(MiB + 1) },
];

const archiveFormats = [
  { format: '.tar.gz', build: tarGz },
  { format: '.zip', build: zip },
] as const;

describe('unpackArchive', () => {
  it.each(archiveFormats)(
    'unpacks a $format without its top folder, by the snapshot rules',
    async ({ build }) => {
      // Prepare
      const archive = await build(REPOSITORY);

      // Act
      const { entries, skipped } = await unpackArchive(upload(archive));

      // Assess
      expect(
        entries.map((entry) => [entry.path, entry.mode, Buffer.from(entry.bytes).toString('utf8')]),
      ).toEqual([
        ['.gitignore', 0o644, 'coverage/\n'],
        ['README.md', 0o644, '# demo\n'],
        ['bin/run.sh', 0o755, '#!/bin/sh\n'],
        ['src/index.ts', 0o644, 'export {};\n'],
      ]);
      expect(Object.fromEntries(skipped.map((entry) => [entry.path, entry.reason]))).toEqual({
        '.git/': expect.stringContaining("git's own folder"),
        'coverage/': 'ignored by .gitignore',
        'data.csv': expect.stringContaining('larger than 1 MiB'),
        'logo.png': expect.stringContaining('binary'),
        'node_modules/': expect.stringContaining('installed dependencies'),
      });
    },
  );

  it('gives a .tar.gz and a .zip of the same repository the same workspace id', async () => {
    // Prepare
    const store = new CountingArtifactStore();

    // Act
    const fromTar = await storeWorkspaceArchive(store, 'acme', upload(await tarGz(REPOSITORY)));
    const fromZip = await storeWorkspaceArchive(store, 'acme', upload(await zip(REPOSITORY)));

    // Assess
    expect(fromZip.workspaceId).toBe(fromTar.workspaceId);
    expect(fromTar.files).toBe(4);
  });

  it('keeps a single top folder when asked to', async () => {
    // Act
    const { entries } = await unpackArchive(upload(await tarGz(REPOSITORY.slice(0, 3))), {
      stripTopFolder: false,
    });

    // Assess
    expect(entries.map((entry) => entry.path)).toEqual(['demo-main/.gitignore', 'demo-main/README.md']);
  });

  it('leaves out the links of a folder it leaves out, rather than refusing the archive', async () => {
    // Prepare: node_modules/.bin holds links to the packages' scripts
    const archive = await tarGz([
      { name: 'README.md', content: '# demo\n' },
      { name: 'node_modules/.bin/tsc', type: 'symlink', linkname: '../typescript/bin/tsc' },
    ]);

    // Act
    const { entries, skipped } = await unpackArchive(upload(archive));

    // Assess
    expect(entries.map((entry) => entry.path)).toEqual(['README.md']);
    expect(skipped.map((entry) => entry.path)).toEqual(['node_modules/']);
  });

  it('reads the ./ paths a tar of "." holds', async () => {
    // Act
    const { entries } = await unpackArchive(
      upload(
        await tarGz([
          { name: './', type: 'directory' },
          { name: './src/a.ts', content: 'a\n' },
          { name: 'b.ts', content: 'b\n' },
        ]),
      ),
    );

    // Assess
    expect(entries.map((entry) => entry.path)).toEqual(['b.ts', 'src/a.ts']);
  });
});

describe('storeWorkspaceArchive refusals', () => {
  /** Entries a workspace may hold, placed before the refused one so that nothing may be stored early. */
  const valid: readonly TestEntry[] = [{ name: 'README.md', content: '# demo\n' }];

  it.each([
    {
      what: 'a ".." path',
      entry: { name: '../escape.txt', content: 'x' },
      message: /"\.\.\/escape\.txt" contains "\.\."/,
    },
    {
      what: 'an absolute path',
      entry: { name: '/etc/cron.d/job', content: 'x' },
      message: /"\/etc\/cron\.d\/job" is absolute/,
    },
    {
      what: 'a symbolic link',
      entry: { name: 'config', type: 'symlink', linkname: '/etc/passwd' },
      message: /"config" is a symbolic link \(to "\/etc\/passwd"\)/,
    },
    {
      what: 'a hard link',
      entry: { name: 'copy', type: 'link', linkname: 'README.md' },
      message: /"copy" is a hard link/,
    },
    { what: 'a FIFO', entry: { name: 'pipe', type: 'fifo' }, message: /"pipe" is a device, FIFO/ },
    { what: 'a backslash', entry: { name: 'src\\a.ts', content: 'x' }, message: /holds a backslash/ },
  ] satisfies { what: string; entry: TestEntry; message: RegExp }[])(
    'refuses a .tar.gz with $what and stores nothing',
    async ({ entry, message }) => {
      // Prepare
      const store = new CountingArtifactStore();
      const archive = await tarGz([...valid, entry]);

      // Act
      const storing = storeWorkspaceArchive(store, 'acme', upload(archive));

      // Assess
      await expect(storing).rejects.toMatchObject({
        name: 'Workspace.Invalid',
        message: expect.stringMatching(message),
      });
      expect(store.puts).toEqual([]);
    },
  );

  it('refuses a .zip with a symbolic link and stores nothing', async () => {
    // Prepare
    const store = new CountingArtifactStore();
    const archive = await zip([...valid, { name: 'config', type: 'symlink', linkname: '../../etc/passwd' }]);

    // Act
    const storing = storeWorkspaceArchive(store, 'acme', upload(archive));

    // Assess
    await expect(storing).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('"config" is a symbolic link'),
    });
    expect(store.puts).toEqual([]);
  });

  it('refuses a .zip with a ".." path and stores nothing', async () => {
    // Prepare: yazl refuses to write "..", so the name is rewritten in the finished archive (same length)
    const store = new CountingArtifactStore();
    const packed = await zip([...valid, { name: 'xx/escape.txt', content: 'x' }]);
    const archive = Buffer.from(
      packed.toString('latin1').replaceAll('xx/escape.txt', '../escape.txt'),
      'latin1',
    );

    // Act
    const storing = storeWorkspaceArchive(store, 'acme', upload(archive));

    // Assess
    await expect(storing).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('"../escape.txt" contains ".."'),
    });
    expect(store.puts).toEqual([]);
  });

  it.each(archiveFormats)(
    'refuses a $format that unpacks past the size limit and stores nothing',
    async ({ build }) => {
      // Prepare: two files of 300 KiB, each kept on its own, over a 512 KiB limit together
      const store = new CountingArtifactStore();
      const archive = await build([
        { name: 'a.txt', content: 'a'.repeat(300 * 1024) },
        { name: 'b.txt', content: 'b'.repeat(300 * 1024) },
      ]);

      // Act
      const storing = storeWorkspaceArchive(store, 'acme', upload(archive), { maxBytes: 512 * 1024 });

      // Assess
      await expect(storing).rejects.toMatchObject({
        name: 'Workspace.Invalid',
        message: expect.stringContaining('unpacks to more than 0.5 MiB'),
      });
      expect(store.puts).toEqual([]);
    },
  );

  it('refuses an archive with more entries than allowed', async () => {
    // Prepare
    const archive = await tarGz([
      valid[0] as TestEntry,
      { name: 'b.txt', content: 'b' },
      { name: 'c.txt', content: 'c' },
    ]);

    // Act
    const unpacking = unpackArchive(upload(archive), { maxEntries: 2 });

    // Assess
    await expect(unpacking).rejects.toMatchObject({
      message: expect.stringContaining('more than 2 entries'),
    });
  });

  it('refuses a path listed twice', async () => {
    // Act
    const unpacking = unpackArchive(upload(await tarGz([...valid, ...valid])));

    // Assess
    await expect(unpacking).rejects.toMatchObject({
      message: expect.stringContaining('"README.md" appears twice'),
    });
  });

  it('refuses what is neither a .tar.gz nor a .zip', async () => {
    // Act
    const unpacking = unpackArchive(upload(Buffer.from('just some text')));

    // Assess
    await expect(unpacking).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('neither a .tar.gz nor a .zip (it starts with 6a757374)'),
    });
  });

  it('refuses a .tar.gz cut short', async () => {
    // Prepare
    const archive = await tarGz([{ name: 'a.txt', content: 'a'.repeat(10_000) }]);

    // Act
    const unpacking = unpackArchive(upload(archive.subarray(0, archive.byteLength - 20)));

    // Assess
    await expect(unpacking).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('The .tar.gz cannot be read'),
    });
  });

  it('keeps the blob keys of the stored workspace under the tenant', async () => {
    // Prepare
    const store = new CountingArtifactStore();

    // Act
    const { workspaceId } = await storeWorkspaceArchive(store, 'acme', upload(await tarGz(valid)));

    // Assess
    expect(store.puts.at(-1)).toBe(artifactKeys.workspaceManifest('acme', workspaceId));
    expect(store.puts.every((key) => key.startsWith('tenants/acme/workspaces/'))).toBe(true);
  });
});

import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChangeSetDocument,
  readChangeSetDocument,
} from '../../../functions/workspaces/change-set-document.js';
import { readManifest, type WorkspaceManifest } from '../../../functions/workspaces/manifest.js';
import { RunChangeSet } from '../../../functions/workspaces/run-change-set.js';
import { storeWorkspace } from '../../../functions/workspaces/store-workspace.js';
import { applyChangeSet } from '../../../local/apply-change-set.js';
import { snapshotDirectory } from '../../../local/workspace-snapshot.js';
import { CountingArtifactStore, makeTree } from '../functions/workspaces/workspace-fixtures.js';

const folders: string[] = [];

afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

/**
 * A repository folder snapshotted as a workspace, and the committed change set of a run over it
 * that fixes src/median.js, creates src/util/sort.js and deletes src/mean.js.
 */
async function runOverFolder(): Promise<{
  dir: string;
  manifest: WorkspaceManifest;
  changeSet: ChangeSetDocument;
}> {
  const dir = await makeTree({
    'README.md': '# stats\n',
    'src/median.js': 'const s = xs.sort();\n',
    'src/mean.js': 'export const mean = 1;\n',
    'run.sh': { content: '#!/bin/sh\n', mode: 0o755 },
  });
  folders.push(dir);
  const store = new CountingArtifactStore();
  const { entries, skipped } = await snapshotDirectory(dir);
  const { workspaceId } = await storeWorkspace(store, 'acme', entries, skipped);
  const changes = await RunChangeSet.open(store, { tenantId: 'acme', runId: 'r-1', workspaceId });
  await changes.files().write('src/median.js', 'const s = xs.sort((a, b) => a - b);\n');
  await changes.files().write('src/util/sort.js', 'export const byNumber = (a, b) => a - b;\n');
  await changes.files().write('run.sh', '#!/bin/sh\nexec node src/median.js\n');
  await changes.files().delete('src/mean.js');
  await changes.commit('call-1', 'done');
  const changeSet = await readChangeSetDocument(store, 'acme', 'r-1');
  if (changeSet === undefined) throw new Error('the change set was not stored');
  return { dir, manifest: await readManifest(store, 'acme', workspaceId), changeSet };
}

describe('applyChangeSet', () => {
  it('writes the changed and created files and deletes the deleted ones', async () => {
    // Prepare: a file the run did not touch may have changed meanwhile
    const { dir, manifest, changeSet } = await runOverFolder();
    await writeFile(join(dir, 'README.md'), '# stats, edited meanwhile\n');

    // Act
    const applied = await applyChangeSet(dir, manifest, changeSet);

    // Assess
    expect(applied).toEqual({
      written: ['run.sh', 'src/median.js', 'src/util/sort.js'],
      deleted: ['src/mean.js'],
    });
    expect(await readFile(join(dir, 'src/median.js'), 'utf8')).toBe('const s = xs.sort((a, b) => a - b);\n');
    expect(await readFile(join(dir, 'src/util/sort.js'), 'utf8')).toBe(
      'export const byNumber = (a, b) => a - b;\n',
    );
    await expect(stat(join(dir, 'src/mean.js'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(join(dir, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# stats, edited meanwhile\n');
  });

  it.each([
    {
      what: 'a changed file was edited since the snapshot',
      meanwhile: (dir: string) => writeFile(join(dir, 'src/median.js'), 'edited by hand\n'),
      message: 'src/median.js changed since the snapshot',
    },
    {
      what: 'a deleted file was edited since the snapshot',
      meanwhile: (dir: string) => writeFile(join(dir, 'src/mean.js'), 'edited by hand\n'),
      message: 'src/mean.js changed since the snapshot',
    },
    {
      what: 'a file to create exists already',
      meanwhile: (dir: string) =>
        mkdir(join(dir, 'src/util')).then(() => writeFile(join(dir, 'src/util/sort.js'), 'mine\n')),
      message: 'src/util/sort.js exists, but the snapshot had no such file',
    },
  ])('refuses when $what, writing nothing', async ({ meanwhile, message }) => {
    // Prepare
    const { dir, manifest, changeSet } = await runOverFolder();
    await meanwhile(dir);
    const before = await snapshotDirectory(dir);

    // Act
    const applying = applyChangeSet(dir, manifest, changeSet);

    // Assess
    await expect(applying).rejects.toMatchObject({
      name: 'ChangeSetConflict',
      message: expect.stringContaining(message),
    });
    expect(await snapshotDirectory(dir)).toEqual(before);
  });

  it('refuses to write through a folder that became a symbolic link out of the folder', async () => {
    // Prepare
    const { dir, manifest, changeSet } = await runOverFolder();
    const outside = await makeTree({});
    folders.push(outside);
    await symlink(outside, join(dir, 'src/util'));

    // Act
    const applying = applyChangeSet(dir, manifest, changeSet);

    // Assess
    await expect(applying).rejects.toMatchObject({
      path: 'src/util/sort.js',
      message: expect.stringContaining('src/util/sort.js is inside src/util, a symbolic link'),
    });
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(join(dir, 'src/median.js'), 'utf8')).toBe('const s = xs.sort();\n');
  });

  it('names the first conflict and counts the others', async () => {
    // Prepare
    const { dir, manifest, changeSet } = await runOverFolder();
    await writeFile(join(dir, 'src/median.js'), 'edited\n');
    await writeFile(join(dir, 'run.sh'), 'edited\n');

    // Act
    const applying = applyChangeSet(dir, manifest, changeSet);

    // Assess
    await expect(applying).rejects.toMatchObject({
      path: 'run.sh',
      conflicts: 2,
      message: expect.stringMatching(/^run\.sh changed since the snapshot \(and 1 more path\)/),
    });
  });

  it('refuses a change set of another workspace', async () => {
    // Prepare
    const { dir, manifest, changeSet } = await runOverFolder();

    // Act
    const applying = applyChangeSet(dir, manifest, { ...changeSet, workspaceId: 'f'.repeat(32) });

    // Assess
    await expect(applying).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('was made over workspace ffff'),
    });
  });

  it('refuses a change set naming a path outside the folder, writing nothing', async () => {
    // Prepare: a change set altered after the run stored it
    const { dir, manifest, changeSet } = await runOverFolder();
    const altered = { ...changeSet, files: { ...changeSet.files, '../escaped.txt': { content: 'x' } } };
    const before = await snapshotDirectory(dir);

    // Act
    const applying = applyChangeSet(dir, manifest, altered);

    // Assess
    await expect(applying).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('"../escaped.txt" contains ".."'),
    });
    expect(await snapshotDirectory(dir)).toEqual(before);
  });
});

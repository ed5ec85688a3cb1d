import { applyPatch, parsePatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { artifactKeys } from '../../../../functions/shared/artifact-keys.js';
import { readChangeSetDocument } from '../../../../functions/workspaces/change-set-document.js';
import { RunChangeSet } from '../../../../functions/workspaces/run-change-set.js';
import { storeWorkspace } from '../../../../functions/workspaces/store-workspace.js';
import { CountingArtifactStore } from './workspace-fixtures.js';

const MEDIAN = [
  'export function median(xs) {',
  '  const s = [...xs].sort();',
  '  return s[s.length / 2];',
  '}',
  '',
].join('\n');
const SNAPSHOT = {
  'README.md': '# stats\n',
  'src/median.js': MEDIAN,
  'src/mean.js': 'export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;\n',
};

/** A stored workspace of {@link SNAPSHOT} and the change set of run r-1 over it. */
async function openRun(): Promise<{
  store: CountingArtifactStore;
  changes: RunChangeSet;
  workspaceId: string;
}> {
  const store = new CountingArtifactStore();
  const entries = Object.entries(SNAPSHOT).map(([path, text]) => ({
    path,
    mode: 0o644,
    bytes: Buffer.from(text),
  }));
  const { workspaceId } = await storeWorkspace(store, 'acme', entries, []);
  store.puts.length = 0;
  const changes = await RunChangeSet.open(store, { tenantId: 'acme', runId: 'r-1', workspaceId });
  return { store, changes, workspaceId };
}

describe('RunChangeSet files', () => {
  it('reads the snapshot, and the run’s writes over it', async () => {
    // Prepare
    const { changes } = await openRun();
    const files = changes.files();

    // Act
    await files.write('src/median.js', 'fixed\n');
    await files.write('src/util/sort.js', 'export const sort = 1;\n');

    // Assess
    expect(await files.read('README.md')).toBe('# stats\n');
    expect(await files.read('src/median.js')).toBe('fixed\n');
    expect(await files.read('./src//util/sort.js')).toBe('export const sort = 1;\n');
    expect(await files.read('missing.txt')).toBeUndefined();
    expect(await files.list()).toEqual(['README.md', 'src/mean.js', 'src/median.js', 'src/util/sort.js']);
    expect(changes.changedFiles()).toEqual(['src/median.js', 'src/util/sort.js']);
  });

  it('deletes snapshot files and new files alike', async () => {
    // Prepare
    const { changes } = await openRun();
    const files = changes.files();
    await files.write('notes.txt', 'scratch\n');

    // Act
    const deletedSnapshotFile = await files.delete('src/mean.js');
    const deletedNewFile = await files.delete('notes.txt');
    const deletedMissing = await files.delete('src/mean.js');

    // Assess
    expect([deletedSnapshotFile, deletedNewFile, deletedMissing]).toEqual([true, true, false]);
    expect(await files.read('src/mean.js')).toBeUndefined();
    expect(await files.list()).toEqual(['README.md', 'src/median.js']);
    expect(changes.changedFiles()).toEqual(['src/mean.js']);
  });

  it('drops a change that writes the snapshot’s content back', async () => {
    // Prepare
    const { changes } = await openRun();
    await changes.files().write('README.md', 'changed\n');

    // Act
    await changes.files().write('README.md', '# stats\n');

    // Assess
    expect(changes.changedFiles()).toEqual([]);
  });

  it.each([
    ['../outside.txt', /contains "\.\."/],
    ['/etc/passwd', /is absolute/],
    ['.git/hooks/pre-commit', /inside \.git/],
  ])('refuses to write %s', async (path, message) => {
    // Prepare
    const { changes } = await openRun();

    // Act
    const writing = changes.files().write(path, 'x');

    // Assess
    await expect(writing).rejects.toMatchObject({
      name: 'Tool.OutsideWorkspace',
      message: expect.stringMatching(message),
    });
    expect(changes.changedFiles()).toEqual([]);
  });

  it('refuses a file where a folder is, and a folder where a file is', async () => {
    // Prepare
    const { changes } = await openRun();

    // Act
    const overFolder = changes.files().write('src', 'x');
    const underFile = changes.files().write('README.md/notes.txt', 'x');

    // Assess
    await expect(overFolder).rejects.toMatchObject({
      name: 'File.InvalidPath',
      message: expect.stringContaining('it is a folder'),
    });
    await expect(underFile).rejects.toMatchObject({
      message: expect.stringContaining('"README.md" is a file'),
    });
  });
});

describe('RunChangeSet.commit', () => {
  it('stores the changes and the applied note in one PUT', async () => {
    // Prepare
    const { store, changes, workspaceId } = await openRun();
    await changes.files().write('src/median.js', 'fixed\n');
    await changes.files().delete('src/mean.js');

    // Act
    await changes.commit('fix:call-1', { ok: true, wrote: 'src/median.js' });

    // Assess
    expect(store.puts).toEqual([artifactKeys.runChangeSet('acme', 'r-1')]);
    expect(await readChangeSetDocument(store, 'acme', 'r-1')).toEqual({
      workspaceId,
      files: { 'src/median.js': { content: 'fixed\n' }, 'src/mean.js': { deleted: true } },
      applied: { 'fix:call-1': { ok: true, wrote: 'src/median.js' } },
    });
  });

  it('is seen by a reopened change set; writes not committed are not', async () => {
    // Prepare
    const { store, changes, workspaceId } = await openRun();
    await changes.files().write('src/median.js', 'fixed\n');
    await changes.commit('call-1', 'done');
    await changes.files().write('README.md', 'not committed\n');

    // Act
    const reopened = await RunChangeSet.open(store, { tenantId: 'acme', runId: 'r-1', workspaceId });

    // Assess
    expect(await reopened.files().read('src/median.js')).toBe('fixed\n');
    expect(await reopened.files().read('README.md')).toBe('# stats\n');
    expect(reopened.applied('call-1')).toBe('done');
    expect(reopened.applied('call-2')).toBeUndefined();
  });

  it('lets a retried call see it was applied, and refuses to commit its key twice', async () => {
    // Prepare: the first try committed, then its reply was lost
    const { store, changes, workspaceId } = await openRun();
    await changes.files().write('src/median.js', 'fixed\n');
    await changes.commit('call-1', { result: 'wrote 1 file' });
    const retry = await RunChangeSet.open(store, { tenantId: 'acme', runId: 'r-1', workspaceId });
    store.puts.length = 0;

    // Act
    const seen = retry.applied('call-1');
    const committingAgain = retry.commit('call-1', { result: 'again' });

    // Assess
    expect(seen).toEqual({ result: 'wrote 1 file' });
    await expect(committingAgain).rejects.toThrow('committed "call-1" already');
    expect(store.puts).toEqual([]);
  });
});

describe('RunChangeSet.patch', () => {
  it('is a git-style unified diff that turns each snapshot file into the new one', async () => {
    // Prepare
    const { changes } = await openRun();
    const fixed = MEDIAN.replace('sort()', 'sort((a, b) => a - b)');
    await changes.files().write('src/median.js', fixed);
    await changes.files().write('src/util/sort.js', 'export const byNumber = (a, b) => a - b;\n');
    await changes.files().delete('src/mean.js');

    // Act
    const patch = await changes.patch();

    // Assess: each file's diff applies to its snapshot text and gives its new text
    const files = parsePatch(patch);
    expect(files.map((file) => [file.oldFileName, file.newFileName])).toEqual([
      ['a/src/mean.js', '/dev/null'],
      ['a/src/median.js', 'b/src/median.js'],
      ['/dev/null', 'b/src/util/sort.js'],
    ]);
    const [deleted, changed, created] = files;
    expect(applyPatch(SNAPSHOT['src/mean.js'], deleted ?? '')).toBe('');
    expect(applyPatch(MEDIAN, changed ?? '')).toBe(fixed);
    expect(applyPatch('', created ?? '')).toBe('export const byNumber = (a, b) => a - b;\n');
    expect(patch).toContain(
      'diff --git a/src/median.js b/src/median.js\n--- a/src/median.js\n+++ b/src/median.js\n',
    );
    expect(patch).toContain('diff --git a/src/util/sort.js b/src/util/sort.js\nnew file mode 100644\n');
    expect(patch).toContain('diff --git a/src/mean.js b/src/mean.js\ndeleted file mode 100644\n');
  });

  it('is empty when nothing changed', async () => {
    // Prepare
    const { changes } = await openRun();

    // Act
    const patch = await changes.patch();

    // Assess
    expect(patch).toBe('');
  });
});

describe('RunChangeSet.open', () => {
  it('refuses a workspace that does not exist', async () => {
    // Act
    const opening = RunChangeSet.open(new CountingArtifactStore(), {
      tenantId: 'acme',
      runId: 'r-1',
      workspaceId: '0123456789abcdef0123456789abcdef',
    });

    // Assess
    await expect(opening).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining(
        'Workspace 0123456789abcdef0123456789abcdef of tenant acme does not exist',
      ),
    });
  });

  it('refuses a change set made over another workspace', async () => {
    // Prepare
    const { store, changes } = await openRun();
    await changes.commit('call-1', 'done');
    const other = await storeWorkspace(
      store,
      'acme',
      [{ path: 'x.txt', mode: 0o644, bytes: Buffer.from('x') }],
      [],
    );

    // Act
    const opening = RunChangeSet.open(store, {
      tenantId: 'acme',
      runId: 'r-1',
      workspaceId: other.workspaceId,
    });

    // Assess
    await expect(opening).rejects.toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('changed workspace'),
    });
  });
});

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactKeys } from '../../../../functions/shared/artifact-keys.js';
import { S3ArtifactStore } from '../../../../functions/stores/s3-artifact-store.js';
import { readManifest } from '../../../../functions/workspaces/manifest.js';
import { RunChangeSet } from '../../../../functions/workspaces/run-change-set.js';
import { storeWorkspaceArchive } from '../../../../functions/workspaces/store-workspace.js';
import { type LocalStack, startLocalStack } from '../../../../local/emulators.js';
import { tarGz, upload } from './archive-builders.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});

afterAll(() => stack?.stop());

describe('a workspace in S3 (s3rver)', () => {
  it('stores blobs byte for byte and keeps a committed change set', async () => {
    // Prepare: a byte-order mark and non-ASCII text must survive the text round trip
    const artifacts = new S3ArtifactStore(stack.clients.s3, stack.bucket);
    const readme = '\ufeff# Café ☕\n';
    const archive = await tarGz([
      { name: 'README.md', content: readme },
      { name: 'src/a.ts', content: 'export const a = 1;\n' },
    ]);

    // Act
    const { workspaceId } = await storeWorkspaceArchive(artifacts, 'acme', upload(archive));
    const changes = await RunChangeSet.open(artifacts, { tenantId: 'acme', runId: 'r-s3', workspaceId });
    await changes.files().write('src/a.ts', 'export const a = 2;\n');
    await changes.commit('call-1', { ok: true });
    const reopened = await RunChangeSet.open(artifacts, { tenantId: 'acme', runId: 'r-s3', workspaceId });

    // Assess
    const manifest = await readManifest(artifacts, 'acme', workspaceId);
    const stored = manifest.files.find((file) => file.path === 'README.md');
    const blob = await artifacts.getText(artifactKeys.workspaceBlob('acme', stored?.sha256 ?? ''));
    expect(createHash('sha256').update(blob, 'utf8').digest('hex')).toBe(stored?.sha256);
    expect(await reopened.files().read('README.md')).toBe(readme);
    expect(await reopened.files().read('src/a.ts')).toBe('export const a = 2;\n');
    expect(reopened.applied('call-1')).toEqual({ ok: true });
  });
});

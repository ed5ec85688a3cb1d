import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { normalizeWorkspacePath } from '../../pipelines/workspace-paths.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { type UnpackOptions, unpackArchive } from './archive.js';
import {
  type ManifestFile,
  type SkippedPath,
  type WorkspaceEntry,
  type WorkspaceManifest,
  workspaceIdOf,
} from './manifest.js';
import { comparePaths, fileFolderClash, repositoryPathProblem } from './paths.js';
import { contentSkipReason, workspaceMode } from './skip-rules.js';
import { WorkspaceInvalidError } from './workspace-invalid-error.js';

/** What storing a workspace gave: its id, how many files it holds, and what was left out. */
export interface StoredWorkspace {
  readonly workspaceId: string;
  readonly files: number;
  readonly skipped: readonly SkippedPath[];
}

/**
 * S3 requests in flight at once while blobs are stored: a repository has thousands of files, and
 * one request after another would take minutes on S3.
 */
const BLOB_WRITES_IN_FLIGHT = 16;

/**
 * Stores a repository as a workspace of `tenantId`: each file's blob unless the tenant has it
 * already (blobs are content-addressed, so a HEAD decides it), then the manifest. The manifest is
 * written last, so a workspace id that exists always has all its blobs. Files must be UTF-8 text
 * (the snapshot and the archive reader leave the rest out); paths must be unique.
 *
 * @example
 * const { entries, skipped } = await snapshotDirectory('.');
 * const { workspaceId } = await storeWorkspace(artifacts, 'acme', entries, skipped);
 */
export async function storeWorkspace(
  artifacts: ArtifactStore,
  tenantId: string,
  files: AsyncIterable<WorkspaceEntry> | Iterable<WorkspaceEntry>,
  skipped: readonly SkippedPath[],
): Promise<StoredWorkspace> {
  const limit = pLimit(BLOB_WRITES_IN_FLIGHT);
  const listed = new Map<string, ManifestFile>();
  const writes = new Map<string, Promise<void>>();
  try {
    for await (const entry of files) {
      const file = manifestFile(entry, listed);
      listed.set(file.path, file);
      if (!writes.has(file.sha256)) {
        // Decoded once checked: valid UTF-8 decodes and encodes back to the same bytes (and digest).
        const text = Buffer.from(entry.bytes).toString('utf8');
        const key = artifactKeys.workspaceBlob(tenantId, file.sha256);
        writes.set(
          file.sha256,
          limit(() => storeBlob(artifacts, key, text)),
        );
      }
    }
    const clash = fileFolderClash(new Set(listed.keys()));
    if (clash !== undefined) {
      throw new WorkspaceInvalidError(
        `Cannot store "${clash.file}" both as a file and as the folder of "${clash.inside}"`,
      );
    }
  } finally {
    // Blob writes already started settle before an error leaves, so none rejects unobserved.
    await Promise.allSettled(writes.values());
  }
  await Promise.all(writes.values());

  const manifest: WorkspaceManifest = {
    files: [...listed.values()].sort((a, b) => comparePaths(a.path, b.path)),
    skipped: [...skipped].sort((a, b) => comparePaths(a.path, b.path)),
  };
  const workspaceId = workspaceIdOf(manifest);
  const manifestKey = artifactKeys.workspaceManifest(tenantId, workspaceId);
  if ((await artifacts.size(manifestKey)) === undefined) await artifacts.putJson(manifestKey, manifest);
  return { workspaceId, files: manifest.files.length, skipped: manifest.skipped };
}

/** The manifest line of an entry, after checking that the workspace can hold it. */
function manifestFile(entry: WorkspaceEntry, listed: ReadonlyMap<string, ManifestFile>): ManifestFile {
  const problem = repositoryPathProblem(entry.path);
  if (problem !== undefined) throw new WorkspaceInvalidError(`Cannot store file ${problem}`);
  const path = normalizeWorkspacePath(entry.path);
  if (listed.has(path))
    throw new WorkspaceInvalidError(`Cannot store "${path}": the repository lists it twice`);
  const unusable = contentSkipReason(entry.bytes);
  if (unusable !== undefined) {
    throw new WorkspaceInvalidError(
      `Cannot store "${path}": it is ${unusable}; leave it out (list it as skipped)`,
    );
  }
  const sha256 = createHash('sha256').update(entry.bytes).digest('hex');
  return { path, size: entry.bytes.byteLength, sha256, mode: workspaceMode(entry.mode) };
}

async function storeBlob(artifacts: ArtifactStore, key: string, text: string): Promise<void> {
  if ((await artifacts.size(key)) !== undefined) return;
  await artifacts.putText(key, text, 'text/plain; charset=utf-8');
}

/**
 * Stores an uploaded repository archive (`.tar.gz` or `.zip`) as a workspace. The whole archive is
 * unpacked and checked first (archive.ts), so a refused archive writes nothing.
 *
 * @example
 * const { workspaceId } = await storeWorkspaceArchive(artifacts, 'acme', request.body);
 */
export async function storeWorkspaceArchive(
  artifacts: ArtifactStore,
  tenantId: string,
  archive: AsyncIterable<Uint8Array>,
  options?: UnpackOptions,
): Promise<StoredWorkspace> {
  const { entries, skipped } = await unpackArchive(archive, options);
  return storeWorkspace(artifacts, tenantId, entries, skipped);
}

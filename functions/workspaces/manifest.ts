import { contentHash } from '../../pipelines/canonical-json.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { WorkspaceInvalidError } from './workspace-invalid-error.js';

/** One file of a repository as a snapshot or archive yields it, before it is stored. */
export interface WorkspaceEntry {
  /** Normalized workspace path (`src/median.js`). */
  readonly path: string;
  /** As `workspaceMode` (skip-rules.ts) records it: 0o644 or 0o755. */
  readonly mode: number;
  readonly bytes: Uint8Array;
}

/** A path a workspace leaves out, and why (shown to the user, kept in the manifest). */
export interface SkippedPath {
  /** Workspace-relative; a folder left out whole ends in `/` (`node_modules/`). */
  readonly path: string;
  readonly reason: string;
}

/** One stored file of a workspace: its content is the blob `workspaces/blobs/{sha256}`. */
export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  /** Hex SHA-256 of the file's bytes: the blob's key, and how a changed file is detected. */
  readonly sha256: string;
  readonly mode: number;
}

/**
 * What a workspace holds (`tenants/{t}/workspaces/{workspaceId}/manifest.json`): its files, sorted
 * by path, and what was left out of the repository and why, sorted by path too. The workspace id is
 * derived from it, so it never changes once stored.
 */
export interface WorkspaceManifest {
  readonly files: readonly ManifestFile[];
  readonly skipped: readonly SkippedPath[];
}

/** A workspace id: 32 lowercase hex digits. */
const WORKSPACE_ID = /^[0-9a-f]{32}$/;

/**
 * The id of the workspace a manifest describes: the first 32 hex digits (128 bits) of the SHA-256 of
 * its canonical JSON. The same tree, with the same files left out, always gets the same id.
 */
export function workspaceIdOf(manifest: WorkspaceManifest): string {
  return contentHash(manifest).slice(0, 32);
}

/**
 * Reads a stored workspace's manifest. Rejects with `Workspace.Invalid` when the id is malformed,
 * when there is no such workspace, or when the manifest no longer matches its id.
 */
export async function readManifest(
  artifacts: ArtifactStore,
  tenantId: string,
  workspaceId: string,
): Promise<WorkspaceManifest> {
  if (!WORKSPACE_ID.test(workspaceId)) {
    throw new WorkspaceInvalidError(
      `"${workspaceId}" is not a workspace id (32 lowercase hex digits); use the id that storing the repository returned`,
    );
  }
  const key = artifactKeys.workspaceManifest(tenantId, workspaceId);
  let manifest: WorkspaceManifest;
  try {
    manifest = await artifacts.getJson<WorkspaceManifest>(key);
  } catch (error) {
    if ((error as Error).name !== 'NoSuchKey') throw error;
    throw new WorkspaceInvalidError(
      `Workspace ${workspaceId} of tenant ${tenantId} does not exist (no ${key}); store the repository again and start the run with the workspace id that returns`,
      { cause: error },
    );
  }
  if (
    !Array.isArray(manifest?.files) ||
    !Array.isArray(manifest.skipped) ||
    workspaceIdOf(manifest) !== workspaceId
  ) {
    throw new WorkspaceInvalidError(
      `${key} does not match workspace id ${workspaceId}: it was altered after it was stored; store the repository again`,
    );
  }
  return manifest;
}

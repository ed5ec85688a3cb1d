import { stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import { readChangeSetDocument } from '../functions/workspaces/change-set-document.js';
import { readManifest } from '../functions/workspaces/manifest.js';
import { RunChangeSet } from '../functions/workspaces/run-change-set.js';
import { type StoredWorkspace, storeWorkspace } from '../functions/workspaces/store-workspace.js';
import { applyChangeSet, ChangeSetConflictError } from '../local/apply-change-set.js';
import { snapshotDirectory } from '../local/workspace-snapshot.js';
import { type CliIo, UsageError } from './io.js';

/** `--repo`, `--patch-out` and `--apply` of `elexirion run`, checked before anything runs. */
export interface RepoFlags {
  readonly repo?: string | undefined;
  readonly 'patch-out'?: string | undefined;
  readonly apply?: boolean | undefined;
}

/** The repository folder `--repo` names, resolved against the working directory; checked to be a folder. */
export async function repoDirectory(flags: RepoFlags, io: CliIo): Promise<string | undefined> {
  if (flags.repo === undefined) {
    if (flags['patch-out'] !== undefined) throw new UsageError('--patch-out needs --repo DIR');
    if (flags.apply) throw new UsageError('--apply needs --repo DIR');
    return undefined;
  }
  const dir = resolve(io.cwd ?? process.cwd(), flags.repo);
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) throw new UsageError(`--repo ${flags.repo}: no such folder`);
  return dir;
}

/**
 * Snapshots the repository folder into a workspace of the local stack (read only: nothing in `dir`
 * is written), telling on stderr how many files it holds and what it skipped.
 */
export async function snapshotRepo(
  dir: string,
  tenantId: string,
  artifacts: ArtifactStore,
  io: CliIo,
): Promise<StoredWorkspace> {
  const snapshot = await snapshotDirectory(dir);
  const stored = await storeWorkspace(artifacts, tenantId, snapshot.entries, snapshot.skipped);
  io.err.write(
    `Snapshot of ${dir}: ${stored.files} files, ${stored.skipped.length} skipped (workspace ${stored.workspaceId})\n`,
  );
  return stored;
}

/** What a run changed in its workspace: the unified diff and the paths. */
export interface RunChanges {
  readonly patch: string;
  readonly changedFiles: readonly string[];
}

/** The run's change set as a patch. */
export async function runChanges(
  artifacts: ArtifactStore,
  ref: { readonly tenantId: string; readonly runId: string; readonly workspaceId: string },
): Promise<RunChanges> {
  const changes = await RunChangeSet.open(artifacts, ref);
  return { patch: await changes.patch(), changedFiles: changes.changedFiles() };
}

/**
 * Writes the patch to `--patch-out` and, with `--apply`, the changed files into the repository
 * folder, refusing (writing nothing) when a file the run changed was edited since the snapshot.
 * Returns false when applying was refused.
 */
export async function deliverChanges(
  options: {
    readonly flags: RepoFlags;
    readonly dir: string;
    readonly artifacts: ArtifactStore;
    readonly ref: { readonly tenantId: string; readonly runId: string; readonly workspaceId: string };
    readonly changes: RunChanges;
  },
  io: CliIo,
): Promise<boolean> {
  const { flags, ref, changes } = options;
  const patchOut = flags['patch-out'];
  if (patchOut !== undefined) {
    await writeFile(resolve(io.cwd ?? process.cwd(), patchOut), changes.patch);
    io.err.write(`Patch of ${changes.changedFiles.length} changed files written to ${patchOut}\n`);
  }
  if (!flags.apply) return true;
  const document = await readChangeSetDocument(options.artifacts, ref.tenantId, ref.runId);
  if (!document) {
    io.err.write(`Nothing to apply: the run changed no file in ${options.dir}\n`);
    return true;
  }
  const manifest = await readManifest(options.artifacts, ref.tenantId, ref.workspaceId);
  try {
    const applied = await applyChangeSet(options.dir, manifest, document);
    io.err.write(
      `Applied to ${options.dir}: ${applied.written.length} written, ${applied.deleted.length} deleted\n`,
    );
    return true;
  } catch (error) {
    if (!(error instanceof ChangeSetConflictError)) throw error;
    io.err.write(`Not applied: ${error.message}. The patch is unchanged; apply it by hand or run again.\n`);
    return false;
  }
}

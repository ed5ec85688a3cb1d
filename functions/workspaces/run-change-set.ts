import { createHash } from 'node:crypto';
import { ErrorName } from '../../pipelines/contract/errors.js';
import { normalizeWorkspacePath } from '../../pipelines/workspace-paths.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { WorkspaceFiles } from '../ports/workspace-files.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { boundedCache } from '../shared/bounded-cache.js';
import { ElexirionError } from '../shared/errors.js';
import { type ChangeSetDocument, type FileChange, readChangeSetDocument } from './change-set-document.js';
import { unifiedPatch } from './change-set-patch.js';
import { type ManifestFile, readManifest } from './manifest.js';
import { comparePaths, repositoryPathProblem, writablePathProblem } from './paths.js';
import { WorkspaceInvalidError } from './workspace-invalid-error.js';

/** Which run, over which workspace. */
export interface RunWorkspaceRef {
  readonly tenantId: string;
  readonly runId: string;
  readonly workspaceId: string;
}

/** The run's files, as {@link WorkspaceFiles}, and deletion. */
export interface ChangeSetFiles extends WorkspaceFiles {
  /** Deletes the file in the change set; false when there was no such file. */
  delete(path: string): Promise<boolean>;
}

/** Snapshot files whose text is kept after a read: an agent rereads the few files it works on. */
const BLOB_CACHE_SIZE = 32;

/**
 * A run's change set over its workspace: the files an agent's tools see (the snapshot with the
 * run's changes over it), writes held in memory until {@link RunChangeSet.commit} stores them with
 * the note of the tool call that made them, in one PUT of `changes.json`. A retried call is then
 * applied exactly once: before running it again, its caller asks {@link RunChangeSet.applied}.
 * A run's change set has one writer at a time (its steps run one after another); two instances
 * committing concurrently would overwrite each other's commits.
 *
 * @example
 * const changes = await RunChangeSet.open(artifacts, { tenantId, runId, workspaceId });
 * if (changes.applied(callKey) === undefined) {
 *   await changes.files().write('src/median.js', fixed);
 *   await changes.commit(callKey, { ok: true });
 * }
 */
export class RunChangeSet {
  private readonly snapshot: ReadonlyMap<string, ManifestFile>;
  /** Only files that differ from the snapshot: a write back to its content removes the change. */
  private readonly changes: Map<string, FileChange>;
  private readonly notes: Map<string, unknown>;
  private readonly blobs = boundedCache<string, Promise<string>>({ maxSize: BLOB_CACHE_SIZE });
  private readonly view: ChangeSetFiles = {
    read: (path) => this.read(path),
    write: (path, content) => this.write(path, content),
    delete: (path) => this.delete(path),
    list: async () => this.list(),
  };

  private constructor(
    private readonly artifacts: ArtifactStore,
    private readonly ref: RunWorkspaceRef,
    files: readonly ManifestFile[],
    stored: ChangeSetDocument | undefined,
  ) {
    this.snapshot = new Map(files.map((file) => [file.path, file]));
    this.changes = new Map(Object.entries(stored?.files ?? {}));
    this.notes = new Map(Object.entries(stored?.applied ?? {}));
  }

  /**
   * The run's change set as last committed (empty before the first commit). Rejects with
   * `Workspace.Invalid` when the workspace does not exist or the stored change set is over another.
   */
  static async open(artifacts: ArtifactStore, ref: RunWorkspaceRef): Promise<RunChangeSet> {
    const manifest = await readManifest(artifacts, ref.tenantId, ref.workspaceId);
    const stored = await readChangeSetDocument(artifacts, ref.tenantId, ref.runId);
    if (stored !== undefined && stored.workspaceId !== ref.workspaceId) {
      throw new WorkspaceInvalidError(
        `Run ${ref.runId} changed workspace ${stored.workspaceId}, not ${ref.workspaceId} (${artifactKeys.runChangeSet(ref.tenantId, ref.runId)}); open it with the workspace the run started with`,
      );
    }
    return new RunChangeSet(artifacts, ref, manifest.files, stored);
  }

  /** The run's files: the snapshot with the change set over it, written changes included. */
  files(): ChangeSetFiles {
    return this.view;
  }

  /** The note committed under `key`, or undefined when no commit used that key. */
  applied(key: string): unknown | undefined {
    return this.notes.get(key);
  }

  /**
   * Stores every change written so far and `note` under `key` in one PUT, so the changes and the
   * record that they were applied are stored together or not at all. A key commits once.
   */
  async commit(key: string, note: unknown): Promise<void> {
    if (note === undefined) throw new TypeError(`The note of "${key}" must be a JSON value, not undefined`);
    if (this.notes.has(key)) {
      throw new Error(
        `Run ${this.ref.runId} committed "${key}" already; ask applied(key) before running that call again`,
      );
    }
    const document: ChangeSetDocument = {
      workspaceId: this.ref.workspaceId,
      files: Object.fromEntries(this.changes),
      applied: Object.fromEntries([...this.notes, [key, note]]),
    };
    await this.artifacts.putJson(artifactKeys.runChangeSet(this.ref.tenantId, this.ref.runId), document);
    this.notes.set(key, note);
  }

  /** Paths that differ from the snapshot (created, changed or deleted), sorted. */
  changedFiles(): readonly string[] {
    return [...this.changes.keys()].sort(comparePaths);
  }

  /** A git-style unified diff of the change set against the snapshot; '' when nothing changed. */
  async patch(): Promise<string> {
    const files = await Promise.all(
      this.changedFiles().map(async (path) => {
        const original = this.snapshot.get(path);
        const change = this.changes.get(path);
        return {
          path,
          ...(original === undefined
            ? {}
            : { before: { text: await this.blobText(original), mode: original.mode } }),
          ...(change !== undefined && 'content' in change ? { after: change.content } : {}),
        };
      }),
    );
    return unifiedPatch(files);
  }

  private async read(path: string): Promise<string | undefined> {
    if (repositoryPathProblem(path) !== undefined) return undefined;
    const normalized = normalizeWorkspacePath(path);
    const change = this.changes.get(normalized);
    if (change !== undefined) return 'content' in change ? change.content : undefined;
    const original = this.snapshot.get(normalized);
    return original === undefined ? undefined : this.blobText(original);
  }

  private async write(path: string, content: string): Promise<void> {
    const normalized = this.writablePath(path);
    const clash = this.folderClash(normalized);
    if (clash !== undefined) throw new ElexirionError(ErrorName.FileInvalidPath, clash);
    const original = this.snapshot.get(normalized);
    if (original !== undefined && original.sha256 === sha256(content)) this.changes.delete(normalized);
    else this.changes.set(normalized, { content });
  }

  private async delete(path: string): Promise<boolean> {
    const normalized = this.writablePath(path);
    if (!this.exists(normalized)) return false;
    if (this.snapshot.has(normalized)) this.changes.set(normalized, { deleted: true });
    else this.changes.delete(normalized);
    return true;
  }

  private list(): readonly string[] {
    return [...this.currentPaths()].sort(comparePaths);
  }

  /** Every file path, unsorted: the snapshot's, less its deletions, and the run's new files. */
  private currentPaths(): Set<string> {
    const paths = new Set([...this.snapshot.keys()].filter((path) => !this.changes.has(path)));
    for (const [path, change] of this.changes) if ('content' in change) paths.add(path);
    return paths;
  }

  private exists(path: string): boolean {
    const change = this.changes.get(path);
    return change === undefined ? this.snapshot.has(path) : 'content' in change;
  }

  /** Why a file cannot be written at `path` (a file is in the way of its folder, or it is a folder). */
  private folderClash(path: string): string | undefined {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      if (this.exists(folder)) return `Cannot write "${path}": "${folder}" is a file, not a folder`;
    }
    const inside = [...this.currentPaths()].find((other) => other.startsWith(`${path}/`));
    return inside === undefined ? undefined : `Cannot write "${path}": it is a folder (it holds "${inside}")`;
  }

  /** The normalized path, or `Tool.OutsideWorkspace` when the run may not write there. */
  private writablePath(path: string): string {
    const problem = writablePathProblem(path);
    if (problem !== undefined) throw new ElexirionError(ErrorName.ToolOutsideWorkspace, problem);
    return normalizeWorkspacePath(path);
  }

  private blobText(file: ManifestFile): Promise<string> {
    const key = artifactKeys.workspaceBlob(this.ref.tenantId, file.sha256);
    return this.blobs.getOrSet(file.sha256, () =>
      this.artifacts.getText(key).catch((error: unknown) => {
        if ((error as Error).name !== 'NoSuchKey') throw error;
        throw new WorkspaceInvalidError(
          `Workspace ${this.ref.workspaceId} lists "${file.path}", but its content ${key} is missing; store the repository again`,
          { cause: error },
        );
      }),
    );
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

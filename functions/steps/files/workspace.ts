import { ErrorName } from '../../../pipelines/contract/errors.js';
import { normalizeWorkspacePath, workspacePathProblem } from '../../../pipelines/workspace-paths.js';
import type { ArtifactStore } from '../../ports/artifact-store.js';
import { artifactKeys } from '../../shared/artifact-keys.js';
import { ElexirionError } from '../../shared/errors.js';

/** What is at a workspace path: an object (a file), objects under it (a folder), both or neither. */
export interface PathStat {
  readonly isFile: boolean;
  readonly isDir: boolean;
  /** The file's size in bytes, when it is one. */
  readonly size?: number;
}

/**
 * One tenant's workspace, the S3 prefix `tenants/{tenant}/workspace/` that `file_ops` paths are
 * relative to. S3 has no folders: a folder is the prefix `PATH/` of the objects inside it.
 */
export class Workspace {
  constructor(
    private readonly tenantId: string,
    private readonly artifacts: ArtifactStore,
  ) {}

  /**
   * The canonical form of a path, checked to stay inside the workspace: a template may have produced
   * it, so the check the loader made on literal paths is made again here.
   */
  path(path: string, field: string): string {
    const problem = workspacePathProblem(path);
    if (problem) throw new ElexirionError(ErrorName.FileInvalidPath, `${field}: ${problem}`);
    return normalizeWorkspacePath(path);
  }

  /** The S3 key of a canonical path. */
  key(path: string): string {
    return artifactKeys.workspace(this.tenantId, path);
  }

  /** What is at a canonical path. */
  async stat(path: string): Promise<PathStat> {
    const size = path === '' ? undefined : await this.artifacts.size(this.key(path));
    const inside = await this.filesUnder(path);
    return { isFile: size !== undefined, isDir: inside.length > 0, ...(size === undefined ? {} : { size }) };
  }

  /** Every file under a canonical folder path, as paths relative to it, in S3's order. */
  async filesUnder(path: string): Promise<string[]> {
    const prefix = this.key(path === '' ? '' : `${path}/`);
    return (await this.artifacts.list(prefix)).map((key) => key.slice(prefix.length));
  }

  /** Reads a file; `File.NotFound` when there is none. */
  async read(path: string): Promise<string> {
    try {
      return await this.artifacts.getText(this.key(path));
    } catch (error) {
      throw notFoundOr(error, path);
    }
  }

  /** Copies a file; `File.NotFound` when the source does not exist. */
  async copy(from: string, to: string): Promise<void> {
    try {
      await this.artifacts.copy(this.key(from), this.key(to));
    } catch (error) {
      throw notFoundOr(error, from);
    }
  }

  /** Writes a file. */
  write(path: string, text: string, contentType: string): ReturnType<ArtifactStore['putText']> {
    return this.artifacts.putText(this.key(path), text, contentType);
  }

  /** Deletes files by canonical path. */
  remove(paths: readonly string[]): Promise<void> {
    return this.artifacts.delete(paths.map((path) => this.key(path)));
  }
}

function notFoundOr(error: unknown, path: string): unknown {
  if ((error as Error).name !== 'NoSuchKey') return error;
  return new ElexirionError(ErrorName.FileNotFound, `no file at ${path} in the workspace`);
}

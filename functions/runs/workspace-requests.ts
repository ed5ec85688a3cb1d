import { ErrorName } from '../../pipelines/contract/errors.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { RunRecord } from '../ports/runs.js';
import { RequestError } from '../shared/request-error.js';
import { readManifest } from '../workspaces/manifest.js';
import { RunChangeSet } from '../workspaces/run-change-set.js';
import { type StoredWorkspace, storeWorkspaceArchive } from '../workspaces/store-workspace.js';

// The control plane's side of workspaces: the workspace code refuses with `Workspace.Invalid`; a
// request that caused it gets a RequestError instead, which the API answers with a 4xx and a trigger
// publishes as `PipelineRequestRejected`.

/**
 * Stores an uploaded repository archive as a workspace of `tenantId`. An archive no workspace may
 * hold is `INVALID_ARCHIVE`, whose message names the entry; `field` is where the request gave the
 * archive (`body`, `archive`). Nothing is written then.
 *
 * @example
 * const { workspaceId } = await storeArchiveWorkspace(artifacts, 'acme', request.body, 'body');
 */
export async function storeArchiveWorkspace(
  artifacts: ArtifactStore,
  tenantId: string,
  archive: AsyncIterable<Uint8Array>,
  field: string,
): Promise<StoredWorkspace> {
  try {
    return await storeWorkspaceArchive(artifacts, tenantId, archive);
  } catch (error) {
    if (!isWorkspaceInvalid(error)) throw error;
    throw new RequestError('INVALID_ARCHIVE', `the archive cannot be a workspace: ${error.message}`, [
      { field, message: error.message },
    ]);
  }
}

/**
 * Checks that `workspaceId` is a workspace of `tenantId`, else `WORKSPACE_NOT_FOUND`. The workspace
 * code's own message is not passed on: it names the tenant and the storage key.
 */
export async function requireWorkspace(
  artifacts: ArtifactStore,
  tenantId: string,
  workspaceId: string,
): Promise<void> {
  try {
    await readManifest(artifacts, tenantId, workspaceId);
  } catch (error) {
    if (!isWorkspaceInvalid(error)) throw error;
    throw new RequestError('WORKSPACE_NOT_FOUND', `there is no workspace ${workspaceId}`, [
      { field: 'workspaceId', message: 'upload the repository with POST /v1/workspaces first' },
    ]);
  }
}

/**
 * The changes a run made to its workspace, as a unified diff ('' when it changed nothing).
 * `WORKSPACE_NOT_FOUND` when the run was started without a workspace, or its workspace or change
 * set can no longer be read.
 */
export async function runPatch(artifacts: ArtifactStore, run: RunRecord): Promise<string> {
  const { tenantId, runId, workspaceId } = run;
  if (workspaceId === undefined) {
    throw new RequestError('WORKSPACE_NOT_FOUND', `run ${runId} was started without a workspace`, [
      {
        field: 'runId',
        message: 'only a run started with a workspaceId (see POST /v1/workspaces) has a patch',
      },
    ]);
  }
  try {
    return await (await RunChangeSet.open(artifacts, { tenantId, runId, workspaceId })).patch();
  } catch (error) {
    if (!isWorkspaceInvalid(error)) throw error;
    throw new RequestError(
      'WORKSPACE_NOT_FOUND',
      `the workspace ${workspaceId} of run ${runId} can no longer be read`,
      [{ field: 'runId', message: 'upload the repository again and start a new run with its workspaceId' }],
    );
  }
}

/** True for `Workspace.Invalid`; compares `name`, since a bundle can hold two copies of the class. */
function isWorkspaceInvalid(error: unknown): error is Error {
  return error instanceof Error && error.name === ErrorName.WorkspaceInvalid;
}

import type { ArtifactStore } from '../ports/artifact-store.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { WorkspaceInvalidError } from './workspace-invalid-error.js';

/** A file's state in a change set: its new content, or deleted. */
export type FileChange = { readonly content: string } | { readonly deleted: true };

/**
 * A run's change set as stored (`tenants/{t}/runs/{r}/changes.json`): what the run changed over
 * its workspace, and a note per tool call applied so far, so a retried call is applied once.
 */
export interface ChangeSetDocument {
  readonly workspaceId: string;
  /** By workspace path; only files that differ from the snapshot. */
  readonly files: Readonly<Record<string, FileChange>>;
  readonly applied: Readonly<Record<string, unknown>>;
}

/**
 * Reads a run's stored change set; undefined when the run has committed none yet. Rejects with
 * `Workspace.Invalid` when the object is not a change set.
 */
export async function readChangeSetDocument(
  artifacts: ArtifactStore,
  tenantId: string,
  runId: string,
): Promise<ChangeSetDocument | undefined> {
  const key = artifactKeys.runChangeSet(tenantId, runId);
  let document: ChangeSetDocument;
  try {
    document = await artifacts.getJson<ChangeSetDocument>(key);
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
  const broken = Object.entries(document?.files ?? {}).find(([, change]) => !isFileChange(change));
  if (
    typeof document?.workspaceId !== 'string' ||
    typeof document.applied !== 'object' ||
    broken !== undefined
  ) {
    throw new WorkspaceInvalidError(
      `${key} is not a change set (${broken === undefined ? 'workspaceId, files or applied is missing' : `the change of "${broken[0]}" is neither {content} nor {deleted: true}`}); it was altered after the run wrote it`,
    );
  }
  return document;
}

function isFileChange(change: unknown): change is FileChange {
  if (change === null || typeof change !== 'object') return false;
  const { content, deleted } = change as { content?: unknown; deleted?: unknown };
  return typeof content === 'string' || deleted === true;
}

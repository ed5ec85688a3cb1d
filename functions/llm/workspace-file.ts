import { createHash } from 'node:crypto';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { PromptPartSpec } from '../../pipelines/contract/spec-bundle.js';
import type { StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { normalizeWorkspacePath } from '../../pipelines/workspace-paths.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import { ElexirionError } from '../shared/errors.js';
import { repositoryPathProblem } from '../workspaces/paths.js';
import { RunChangeSet } from '../workspaces/run-change-set.js';
import { WorkspaceInvalidError } from '../workspaces/workspace-invalid-error.js';
import type { TemplateScope } from './template-scope.js';

/**
 * Reads the files `workspace_file` prompt parts name, from the run's workspace with the run's change
 * set over it (so a step sees what earlier agent steps wrote), before the prompt is rendered.
 */

/**
 * The most text one part inserts. A prompt is sent whole to the model and stored in every attempt's
 * artifact; a larger file fails the step rather than being cut, so the model never answers about
 * half a file it takes for the whole.
 */
export const MAX_WORKSPACE_FILE_BYTES = 256 * 1024;

/** A file a prompt read: its path in the workspace and the SHA-256 of the text read. */
export interface WorkspaceFileRead {
  readonly path: string;
  readonly sha256: string;
}

/** The text of each `workspace_file` part, and the files read, in part order. */
export interface WorkspaceFileTexts {
  readonly texts: ReadonlyMap<PromptPartSpec, string>;
  readonly read: readonly WorkspaceFileRead[];
}

/**
 * Reads every `workspace_file` part of `parts`, its path rendered with `scope`. Fails with
 * `Workspace.Invalid` when the run has no workspace, `File.InvalidPath` when the path would leave
 * it, `File.NotFound` when there is no such file and `File.InvalidContent` past
 * {@link MAX_WORKSPACE_FILE_BYTES}. Opens the workspace only when a part needs it.
 */
export async function readWorkspaceFileParts(
  event: StepRunnerEvent,
  parts: readonly PromptPartSpec[],
  scope: TemplateScope,
  artifacts: ArtifactStore,
): Promise<WorkspaceFileTexts> {
  const wanted = parts.flatMap((part) =>
    part.type === 'workspace_file' ? [{ part, path: checkedPath(event, scope.render(part.path)) }] : [],
  );
  if (wanted.length === 0) return { texts: new Map(), read: [] };
  const { tenantId, runId, workspaceId } = event.run;
  if (workspaceId === undefined) {
    throw new WorkspaceInvalidError(
      `step "${event.stepId}" reads workspace file "${wanted[0]?.path}", and run ${runId} has no workspace; start the run with --repo DIR (elexirion run) or a workspaceId (the API)`,
    );
  }
  const files = (await RunChangeSet.open(artifacts, { tenantId, runId, workspaceId })).files();
  const texts = new Map<PromptPartSpec, string>();
  const read: WorkspaceFileRead[] = [];
  for (const { part, path } of wanted) {
    const text = await files.read(path);
    if (text === undefined) {
      throw new ElexirionError(
        ErrorName.FileNotFound,
        `step "${event.stepId}" reads workspace file "${path}", which is not in the run's workspace (its snapshot with the run's changes); check the path, or create the file in an earlier step`,
      );
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_WORKSPACE_FILE_BYTES) {
      throw new ElexirionError(
        ErrorName.FileInvalidContent,
        `step "${event.stepId}" reads workspace file "${path}" of ${bytes} bytes, over the ${MAX_WORKSPACE_FILE_BYTES} a workspace_file part may insert; narrow the path to a smaller file`,
      );
    }
    texts.set(part, text);
    read.push({ path, sha256: createHash('sha256').update(text).digest('hex') });
  }
  return { texts, read };
}

/** The rendered path in canonical form, or `File.InvalidPath` when it could leave the workspace. */
function checkedPath(event: StepRunnerEvent, path: string): string {
  const problem = repositoryPathProblem(path);
  if (problem !== undefined) {
    throw new ElexirionError(
      ErrorName.FileInvalidPath,
      `step "${event.stepId}" has a workspace_file path that renders to ${problem}`,
    );
  }
  return normalizeWorkspacePath(path);
}

import { z } from 'zod';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { BatchStepSpec, BatchTaskRef } from '../../pipelines/contract/spec-bundle.js';
import type { StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import { ElexirionError } from '../shared/errors.js';
import { iterationSuffix } from '../shared/iteration.js';
import { comparePaths } from '../workspaces/paths.js';
import { RunChangeSet } from '../workspaces/run-change-set.js';
import { WorkspaceInvalidError } from '../workspaces/workspace-invalid-error.js';
import { globMatcher } from './files/glob.js';

/**
 * The tasks of a `claude_batch` step's `files_from` glob: one per matching file of the run's
 * workspace, all of one LLM spec, told apart by their place in the manifest (the Map iteration's
 * index, see `emitTaskStates`' `indexed`).
 */

/** One item of a glob's manifest: the shared spec, and the file the iteration reads. */
const GlobItemSchema = z.object({ stepId: z.string(), path: z.string() });

/** A manifest item, as the Map's ItemSelector reads it (`$$.Map.Item.Value.path`). */
export type GlobItem = z.infer<typeof GlobItemSchema>;

/**
 * The workspace files matching the glob (the snapshot with the run's change set over it, so files
 * earlier steps wrote are in, in their new version), in path order, as manifest items. Fails with
 * `Workspace.Invalid` when the run has no workspace and `Data.InvalidInput` (not retried) past
 * `maxFiles`; no match is an empty batch.
 */
export async function listGlobTasks(
  event: StepRunnerEvent,
  files: NonNullable<BatchStepSpec['files']>,
  artifacts: ArtifactStore,
): Promise<GlobItem[]> {
  const { tenantId, runId, workspaceId } = event.run;
  if (workspaceId === undefined) {
    throw new WorkspaceInvalidError(
      `step "${event.stepId}" makes a task per workspace file matching "${files.glob}", and run ${runId} has no workspace; start the run with --repo DIR (elexirion run) or a workspaceId (the API)`,
    );
  }
  const changes = await RunChangeSet.open(artifacts, { tenantId, runId, workspaceId });
  const matches = globMatcher(files.glob);
  const paths = (await changes.files().list()).filter((path) => matches(path)).sort(comparePaths);
  if (paths.length > files.maxFiles) {
    throw new ElexirionError(
      ErrorName.DataInvalidInput,
      `step "${event.stepId}": ${paths.length} workspace files match "${files.glob}", over its max_files of ${files.maxFiles}; narrow the glob or raise files_from.max_files`,
    );
  }
  return paths.map((path) => ({ stepId: files.stepId, path }));
}

/**
 * The tasks a glob's manifest lists, for the consolidation: each named by its file's path, its
 * status by `STEP_ID[INDEX]`.
 */
export async function readGlobTasks(manifestKey: string, artifacts: ArtifactStore): Promise<BatchTaskRef[]> {
  const items = z.array(GlobItemSchema).parse(await artifacts.getJson(manifestKey));
  return items.map((item, index) => ({ id: item.path, stepId: `${item.stepId}${iterationSuffix([index])}` }));
}

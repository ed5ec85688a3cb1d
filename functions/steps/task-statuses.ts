import { z } from 'zod';
import type { ArtifactStore } from '../ports/artifact-store.js';

/** How one task of a batch ended, as its last state recorded it. */
export const TaskStatusSchema = z.object({
  stepId: z.string(),
  status: z.enum(['success', 'error', 'timeout']),
  degraded: z.boolean().optional(),
  /** S3 key of the answer's artifact, for a success. */
  artifact: z.string().optional(),
  /** The error's name, for a failure. */
  error: z.string().optional(),
});

/** A task's status. */
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** What a Distributed Map with a ResultWriter leaves in the state instead of its results. */
const ResultWriterOutputSchema = z.object({
  ResultWriterDetails: z.object({ Bucket: z.string(), Key: z.string() }),
});

/** The manifest a ResultWriter writes next to the result files. */
const ResultManifestSchema = z.object({
  ResultFiles: z.object({
    SUCCEEDED: z.array(z.object({ Key: z.string() })).default([]),
    FAILED: z.array(z.object({ Key: z.string() })).default([]),
    PENDING: z.array(z.object({ Key: z.string() })).default([]),
  }),
});

/** One child execution in a result file. `Input` and `Output` are JSON text. */
const ResultEntrySchema = z.object({
  Status: z.string(),
  Input: z.string().optional(),
  Output: z.string().optional(),
  Error: z.string().optional(),
});

/**
 * Every task's status by step id, from what the task states left under the batch step in the state:
 * the list of statuses (an inline Map, a Parallel state), or the ResultWriter's details of a
 * Distributed Map, whose manifest names the result files. A child execution that failed as a whole
 * (outside the task's own states) is an `error` with its error name. Step ids are keyed by
 * `localId`, which drops a nested pipeline's scope.
 */
export async function readTaskStatuses(
  entry: unknown,
  artifacts: ArtifactStore,
  localId: (stepId: string) => string,
): Promise<Map<string, TaskStatus>> {
  const written = ResultWriterOutputSchema.safeParse(entry);
  const statuses = written.success
    ? await readResultFiles(written.data.ResultWriterDetails.Key, artifacts)
    : z.array(TaskStatusSchema).parse(entry);
  return new Map(statuses.map((status) => [localId(status.stepId), status]));
}

async function readResultFiles(manifestKey: string, artifacts: ArtifactStore): Promise<TaskStatus[]> {
  const manifest = ResultManifestSchema.parse(await artifacts.getJson(manifestKey));
  const files = [...manifest.ResultFiles.SUCCEEDED, ...manifest.ResultFiles.FAILED];
  const entries = (
    await Promise.all(
      files.map(async ({ Key }) => z.array(ResultEntrySchema).parse(await artifacts.getJson(Key))),
    )
  ).flat();
  return entries.map((entry) => {
    if (entry.Status === 'SUCCEEDED' && entry.Output !== undefined) {
      return TaskStatusSchema.parse(JSON.parse(entry.Output));
    }
    const input = entry.Input === undefined ? {} : (JSON.parse(entry.Input) as { stepId?: unknown });
    return { stepId: String(input.stepId), status: 'error' as const, error: entry.Error ?? entry.Status };
  });
}

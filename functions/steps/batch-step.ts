import type { BatchStepSpec, BatchTaskRef } from '../../pipelines/contract/spec-bundle.js';
import type { StepArtifact, StepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import {
  type Degradation,
  recordFailedAttempt,
  recordSucceededAttempt,
  startAttempt,
} from './attempt-record.js';
import { listGlobTasks, readGlobTasks } from './batch-files.js';
import { readTaskStatuses, type TaskStatus } from './task-statuses.js';

type VersionedBatchSpec = BatchStepSpec & { readonly hash: string };

/** Artifacts read at once while consolidating. */
const READ_CONCURRENCY = 16;

/** Where a Distributed Map reads its items and writes its results. */
export type BatchManifestRef = {
  readonly bucket: string;
  readonly key: string;
  readonly resultPrefix: string;
};

/** One task in the consolidated result. */
interface TaskResult {
  readonly task_id: string;
  readonly status: TaskStatus['status'];
  readonly text?: string;
  readonly data?: unknown;
  readonly error?: string;
  readonly degraded?: true;
}

const NO_USAGE = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } as const;

/**
 * Runs a `claude_batch` or `parallel_claude` step's own work (its tasks run as LLM steps of their
 * own): in `manifest` mode, writes the task ids a Distributed Map reads (for `files_from`, the
 * matching workspace files, see `batch-files.ts`); otherwise consolidates,
 * reading every task's status (from the state, or from the files a Distributed Map's ResultWriter
 * wrote) and answer into one artifact, the step's result.
 */
export async function runBatchStep(
  event: StepRunnerEvent,
  spec: VersionedBatchSpec,
  deps: StepRunnerDeps,
): Promise<StepRef | BatchManifestRef> {
  if (event.mode === 'manifest') return writeManifest(event, spec, deps);
  if (event.mode !== undefined) {
    throw new Error(`internal: batch step "${event.stepId}" has no ${event.mode} mode`);
  }
  return consolidate(event, spec, deps);
}

async function writeManifest(
  event: StepRunnerEvent,
  spec: VersionedBatchSpec,
  deps: StepRunnerDeps,
): Promise<BatchManifestRef> {
  const { key, resultPrefix } = artifactKeys.batchManifest(event.run.tenantId, event.run.runId, event.stepId);
  const items =
    spec.files === undefined ? spec.tasks.map((task) => task.stepId) : await globItems(event, spec, deps);
  const stored = await deps.artifacts.putJson(key, items);
  return { bucket: stored.bucket, key, resultPrefix };
}

/**
 * A glob's manifest items. Listing can fail on what the run was given (no workspace, too many
 * files): that failure is recorded as the step's attempt, so the run's report names the step.
 */
async function globItems(event: StepRunnerEvent, spec: VersionedBatchSpec, deps: StepRunnerDeps) {
  const files = spec.files as NonNullable<VersionedBatchSpec['files']>;
  try {
    return await listGlobTasks(event, files, deps.artifacts);
  } catch (error) {
    const context = await startAttempt(event, spec, deps, deps.providerFor(spec.family).name);
    await recordFailedAttempt(context, spec.model, error as Error);
    throw error;
  }
}

/**
 * The consolidated result: `total_tasks`, `successful_tasks`, `failed_tasks` and each task's status,
 * text, JSON and error, as `batch_results` (a list, `claude_batch`) or `individual_results` (by id,
 * `parallel_claude`), pipeline_ex's names. The text joins every answer under its task id, or is a
 * status line when `consolidate_results` is false. A batch with a failed or degraded task is
 * degraded itself: never reported as a clean success.
 */
async function consolidate(
  event: StepRunnerEvent,
  spec: VersionedBatchSpec,
  deps: StepRunnerDeps,
): Promise<StepRef> {
  // Inside a nested pipeline, ids in the state are the child's own; the event's are prefixed by its scope.
  const scope = event.run.scope;
  const local = (id: string) =>
    scope !== undefined && id.startsWith(`${scope}.`) ? id.slice(scope.length + 1) : id;
  const statuses = await readTaskStatuses(event.steps[local(event.stepId)], deps.artifacts, local);
  const tasks: readonly BatchTaskRef[] =
    spec.files === undefined
      ? spec.tasks
      : await readGlobTasks(
          artifactKeys.batchManifest(event.run.tenantId, event.run.runId, event.stepId).key,
          deps.artifacts,
        );
  const results = await mapLimit(tasks, READ_CONCURRENCY, async (task): Promise<TaskResult> => {
    const status = statuses.get(task.stepId) ?? {
      stepId: task.stepId,
      status: 'error',
      error: 'States.Runtime',
    };
    if (status.status !== 'success' || status.artifact === undefined) {
      return { task_id: task.id, status: status.status, error: status.error ?? 'unknown' };
    }
    const { response } = await deps.artifacts.getJson<StepArtifact>(status.artifact);
    return {
      task_id: task.id,
      status: 'success',
      text: response.text,
      ...(response.data === undefined ? {} : { data: response.data }),
      ...(status.degraded ? { degraded: true as const } : {}),
    };
  });
  const failed = results.filter((result) => result.status !== 'success');
  const fields = {
    total_tasks: results.length,
    successful_tasks: results.length - failed.length,
    failed_tasks: failed.length,
    failed_percentage: results.length === 0 ? 0 : Math.round((failed.length / results.length) * 10_000) / 100,
  };
  const data = {
    ...fields,
    ...(spec.type === 'claude_batch'
      ? { batch_results: results }
      : { individual_results: Object.fromEntries(results.map(({ task_id, ...rest }) => [task_id, rest])) }),
  };
  const text = spec.consolidate
    ? results
        .map((result) => `## ${result.task_id}\n${result.text ?? `[${result.status}: ${result.error}]`}`)
        .join('\n\n')
    : `${fields.successful_tasks} of ${fields.total_tasks} tasks succeeded`;
  const context = await startAttempt(event, spec, deps, deps.providerFor(spec.family).name);
  return recordSucceededAttempt(context, {
    model: spec.model,
    artifact: { request: { prompt: '' }, response: { text, data }, usage: NO_USAGE, costUsd: 0 },
    usage: NO_USAGE,
    costUsd: 0,
    priced: true,
    ...batchDegradation(results),
    fields,
  });
}

function batchDegradation(results: readonly TaskResult[]): { degraded?: Degradation } {
  const failed = results.find((result) => result.status !== 'success');
  if (failed !== undefined)
    return { degraded: { reason: 'failed_tasks', originalError: failed.error ?? 'unknown' } };
  if (results.some((result) => result.degraded)) {
    return { degraded: { reason: 'degraded_tasks', originalError: 'a task answered from its fallback' } };
  }
  return {};
}

/** `fn` over `items` with at most `limit` calls in flight, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

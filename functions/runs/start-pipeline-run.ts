import { contentHash } from '../../pipelines/canonical-json.js';
import type { ExecutionEngine } from '../ports/execution-engine.js';
import type { IdempotencyKeys, IdempotencyRecord } from '../ports/idempotency.js';
import type { PipelineCatalog } from '../ports/pipeline-catalog.js';
import type { RunStatus } from '../ports/runs.js';
import { RequestError } from '../shared/request-error.js';
import { closeRun, type RunCloserDeps } from './close-run.js';
import { resolveRunInputs } from './run-inputs.js';
import { type ExecutionInput, newRunId, type RunLifecycleDeps, startRun } from './run-lifecycle.js';
import { requireWorkspace } from './workspace-requests.js';

/** How long an idempotency key keeps pointing at its run: a day, as Stripe's API does. */
export const IDEMPOTENCY_TTL_SECONDS = 86_400;

/**
 * How long a claim of an idempotency key stays `IN_PROGRESS` before another request may take it
 * over (unless its run was recorded): ample for recording a run and starting its execution, which
 * take well under a second.
 */
export const IDEMPOTENCY_IN_PROGRESS_SECONDS = 60;

/**
 * How long (ms, between reads) a repeated request waits for the run of a claim still in progress to
 * be recorded before it answers IDEMPOTENCY_IN_PROGRESS: a concurrent winner records it at once.
 */
const IN_PROGRESS_POLL_MS = [10, 20, 40, 80, 160, 320] as const;

/**
 * What starting a run needs: the run lifecycle's stores, the catalog, the engine, and where the
 * event of a run that fails to start goes.
 */
export interface RunStarterDeps extends RunCloserDeps {
  readonly runs: RunLifecycleDeps['runs'] & IdempotencyKeys;
  readonly catalog: PipelineCatalog;
  readonly engine: ExecutionEngine;
  /** Waits between reads of a claim in progress; a timer unless a test passes its own. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A request to start a pipeline, from the API or a trigger. */
export interface StartRunRequest {
  readonly tenantId: string;
  readonly pipeline: string;
  readonly input: Record<string, unknown>;
  /** Requests with the same key (per tenant and pipeline) start one run. */
  readonly idempotencyKey?: string;
  /** The repository snapshot the run works on (`POST /v1/workspaces`, `elexirion run --repo`). */
  readonly workspaceId?: string;
}

/** The run a request started, or the one an earlier request with the same idempotency key started. */
export interface StartedRun {
  readonly runId: string;
  readonly status: RunStatus;
  /** True when the run was started by an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * Starts a pipeline run: finds the pipeline, checks the input against its declared inputs, claims the
 * idempotency key (a conditional write, so of concurrent requests with one key exactly one starts a
 * run and the others get its id), records the run and starts its execution, named by the run id.
 * Throws {@link RequestError} before writing anything when the pipeline, the input or the
 * workspace is wrong.
 *
 * @example
 * const { runId } = await startPipelineRun({ tenantId: 'acme', pipeline: 'chain', input: {} }, deps);
 */
export async function startPipelineRun(request: StartRunRequest, deps: RunStarterDeps): Promise<StartedRun> {
  const { tenantId, pipeline } = request;
  const entry = await deps.catalog.get(tenantId, pipeline);
  if (!entry) {
    throw new RequestError('PIPELINE_NOT_FOUND', `there is no pipeline "${pipeline}"`, [
      { field: 'pipeline', message: 'list the pipelines you can start with GET /v1/pipelines' },
    ]);
  }
  const resolved = resolveRunInputs(entry.bundle, request.input);
  if (!resolved.ok) {
    throw new RequestError(
      'INVALID_INPUT',
      `the input does not fit the inputs pipeline "${pipeline}" declares`,
      resolved.problems.map((problem) => ({ field: `input.${problem.input}`, message: problem.message })),
    );
  }
  if (request.workspaceId !== undefined) {
    await requireWorkspace(deps.artifacts, tenantId, request.workspaceId);
  }
  const now = deps.now();
  const runId = newRunId(now);
  let claim: IdempotencyRecord | undefined;
  if (request.idempotencyKey !== undefined) {
    const requestHash = contentHash(
      request.workspaceId === undefined
        ? request.input
        : { input: request.input, workspaceId: request.workspaceId },
    );
    const outcome = await deps.runs.claimIdempotencyKey({
      tenantId,
      pipeline,
      key: request.idempotencyKey,
      runId,
      requestHash,
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
      status: 'IN_PROGRESS',
      inProgressExpiry: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_IN_PROGRESS_SECONDS,
    });
    if (!outcome.claimed) return replay(outcome.record, requestHash, deps);
    claim = outcome.record;
  }

  let recorded: ExecutionInput | undefined;
  try {
    recorded = await startRun(
      {
        tenantId,
        bundle: entry.bundle,
        inputs: resolved.inputs,
        runId,
        stateMachine: entry.stateMachine,
        ...(request.workspaceId === undefined ? {} : { workspaceId: request.workspaceId }),
      },
      deps,
    );
    await deps.engine.startExecution(entry.stateMachine, runId, recorded);
  } catch (error) {
    // Leave nothing that looks alive: the run failed to start, and its key is free for a retry.
    if (recorded) {
      const cause = error instanceof Error ? error.message : String(error);
      await closeRun(recorded.run, { status: 'FAILED', error: 'Run.StartFailed', cause }, deps, 0);
    }
    if (claim) await deps.runs.releaseIdempotencyKey(claim);
    throw error;
  }
  // Best effort: the run is recorded, and a claim whose run exists is never taken over, so a record
  // left IN_PROGRESS still answers repeated requests with this run.
  if (claim) await deps.runs.completeIdempotencyKey(claim).catch(() => undefined);
  return { runId, status: 'RUNNING', replayed: false };
}

/** The answer to a repeated request: the earlier run, unless the key was used for another request. */
async function replay(
  record: IdempotencyRecord,
  requestHash: string,
  deps: RunStarterDeps,
): Promise<StartedRun> {
  if (record.requestHash !== requestHash) {
    throw new RequestError(
      'IDEMPOTENCY_KEY_REUSED',
      `the idempotency key "${record.key}" was already used to start run ${record.runId} with a different input`,
      [{ field: 'idempotencyKey', message: 'use a new key for a different request' }],
    );
  }
  const run = await deps.runs.getRun(record.tenantId, record.runId);
  if (run !== undefined || record.status !== 'IN_PROGRESS') {
    return { runId: record.runId, status: run?.status ?? 'RUNNING', replayed: true };
  }
  // The claim's request is still recording the run (a concurrent winner does so at once), or died
  // before it did: wait a little for the run, then tell the caller when the key can be taken over.
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (const ms of IN_PROGRESS_POLL_MS) {
    await sleep(ms);
    const appeared = await deps.runs.getRun(record.tenantId, record.runId);
    if (appeared !== undefined) return { runId: record.runId, status: appeared.status, replayed: true };
  }
  const retryAfter = Math.max(1, (record.inProgressExpiry ?? 0) - Math.floor(deps.now().getTime() / 1000));
  throw new RequestError(
    'IDEMPOTENCY_IN_PROGRESS',
    `a request with the idempotency key "${record.key}" is still starting its run; retry after ${retryAfter} s`,
    [{ field: 'idempotencyKey', message: `retry after ${retryAfter} s, with the same key and input` }],
    { retryAfterSeconds: retryAfter },
  );
}

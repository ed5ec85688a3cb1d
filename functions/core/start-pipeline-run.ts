import { contentHash } from '../../statemachines/canonical-json.js';
import type { ExecutionEngine } from './ports/execution-engine.js';
import type { PipelineCatalog } from './ports/pipeline-catalog.js';
import type { IdempotencyRecord, RunStatus } from './ports/run-store.js';
import { RequestError } from './request-error.js';
import { resolveRunInputs } from './run-inputs.js';
import {
  type ExecutionInput,
  finishRun,
  newRunId,
  type RunLifecycleDeps,
  startRun,
} from './run-lifecycle.js';

/** How long an idempotency key keeps pointing at its run: a day, as Stripe's API does. */
export const IDEMPOTENCY_TTL_SECONDS = 86_400;

/** What starting a run needs: the run lifecycle's stores, the catalog and the engine. */
export interface RunStarterDeps extends RunLifecycleDeps {
  readonly catalog: PipelineCatalog;
  readonly engine: ExecutionEngine;
}

/** A request to start a pipeline, from the API or a trigger. */
export interface StartRunRequest {
  readonly tenantId: string;
  readonly pipeline: string;
  readonly input: Record<string, unknown>;
  /** Requests with the same key (per tenant and pipeline) start one run. */
  readonly idempotencyKey?: string;
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
 * Throws {@link RequestError} before writing anything when the pipeline or the input is wrong.
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
  const now = deps.now();
  const runId = newRunId(now);
  let claim: IdempotencyRecord | undefined;
  if (request.idempotencyKey !== undefined) {
    const requestHash = contentHash(request.input);
    const outcome = await deps.runs.claimIdempotencyKey({
      tenantId,
      pipeline,
      key: request.idempotencyKey,
      runId,
      requestHash,
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
    });
    if (!outcome.claimed) return replay(outcome.record, requestHash, deps);
    claim = outcome.record;
  }

  let recorded: ExecutionInput | undefined;
  try {
    recorded = await startRun(
      { tenantId, bundle: entry.bundle, inputs: resolved.inputs, runId, stateMachine: entry.stateMachine },
      deps,
    );
    await deps.engine.startExecution(entry.stateMachine, runId, recorded);
  } catch (error) {
    // Leave nothing that looks alive: the run failed to start, and its key is free for a retry.
    if (recorded) {
      const cause = error instanceof Error ? error.message : String(error);
      await finishRun(recorded.run, { status: 'FAILED', error: 'Run.StartFailed', cause }, deps);
    }
    if (claim) await deps.runs.releaseIdempotencyKey(claim);
    throw error;
  }
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
  // The winner of a concurrent claim may not have written the run record yet; it is starting it.
  const run = await deps.runs.getRun(record.tenantId, record.runId);
  return { runId: record.runId, status: run?.status ?? 'RUNNING', replayed: true };
}

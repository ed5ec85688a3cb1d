import { type ExecutionEngine, executionArnOf, type StopReason } from '../ports/execution-engine.js';
import type { RunRecord, RunStatus } from '../ports/runs.js';
import { RequestError } from '../shared/request-error.js';
import { closeRun, type RunCloserDeps } from './close-run.js';
import { requireRun } from './run-lookup.js';

/** What cancelling and redriving need: the stores, the event publisher and the engine. */
export interface RunControlDeps extends RunCloserDeps {
  readonly engine: ExecutionEngine;
}

/** The error and cause a cancelled run's execution ends with. */
export const CANCEL_REASON: StopReason = { error: 'Run.Cancelled', cause: 'cancelled through the API' };

/** Statuses Step Functions can redrive from (aws-facts §3.7). */
const REDRIVABLE: readonly RunStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * Cancels a RUNNING run: stops its execution and closes the run ABORTED at once (publishing
 * `PipelineRunFailed`), without waiting for the status event, which then changes nothing.
 *
 * @example
 * const run = await cancelRun('acme', runId, deps); // run.status === 'ABORTED'
 */
export async function cancelRun(tenantId: string, runId: string, deps: RunControlDeps): Promise<RunRecord> {
  const run = await requireRun(deps.runs, tenantId, runId);
  if (run.status !== 'RUNNING' || run.stateMachine === undefined) {
    throw new RequestError(
      'RUN_NOT_RUNNING',
      `run ${runId} is ${run.status}; only a RUNNING run can be cancelled`,
    );
  }
  try {
    await deps.engine.stopExecution(executionArnOf(run.stateMachine, runId), CANCEL_REASON);
  } catch (error) {
    // A run whose execution is gone (a local process died before it stored the execution) is not running either.
    if (!(error instanceof Error && error.name === 'ExecutionDoesNotExist')) throw error;
  }
  return closeRun(run, { status: 'ABORTED', ...CANCEL_REASON }, deps, run.redriveCount ?? 0);
}

/**
 * Redrives a FAILED, TIMED_OUT or ABORTED run: its execution resumes from the state where it
 * stopped, and steps that succeeded are not run again. The record turns RUNNING with the next
 * redrive count before the engine is asked, so the status event of the resumed execution always
 * finds it; if the engine refuses, the record is put back.
 *
 * @example
 * const run = await redriveRun('acme', runId, deps); // run.status === 'RUNNING'
 */
export async function redriveRun(tenantId: string, runId: string, deps: RunControlDeps): Promise<RunRecord> {
  const run = await requireRun(deps.runs, tenantId, runId);
  if (!REDRIVABLE.includes(run.status) || run.stateMachine === undefined) {
    throw new RequestError(
      'RUN_NOT_REDRIVABLE',
      run.stateMachine === undefined
        ? `run ${runId} was executed by \`elexirion run\`, not by a state machine; start it again instead`
        : `run ${runId} is ${run.status}; only a FAILED, TIMED_OUT or ABORTED run can be redriven`,
    );
  }
  const redriveCount = run.redriveCount ?? 0;
  const { error: _error, finishedAt: _finishedAt, ...open } = run;
  const resumed: RunRecord = { ...open, status: 'RUNNING', redriveCount: redriveCount + 1 };
  if (!(await deps.runs.replaceRun(resumed, { status: run.status, redriveCount }))) {
    throw new RequestError(
      'RUN_NOT_REDRIVABLE',
      `run ${runId} changed while it was being redriven; read it again`,
    );
  }
  try {
    await deps.engine.redriveExecution(executionArnOf(run.stateMachine, runId));
  } catch (error) {
    await deps.runs.replaceRun(run, { status: 'RUNNING', redriveCount: redriveCount + 1 });
    if (error instanceof Error && ['ExecutionNotRedrivable', 'ExecutionDoesNotExist'].includes(error.name)) {
      throw new RequestError('RUN_NOT_REDRIVABLE', `run ${runId} cannot be redriven: ${error.message}`);
    }
    throw error;
  }
  return resumed;
}

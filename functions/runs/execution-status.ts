import { z } from 'zod';
import { EXECUTION_STATUSES, type ExecutionEngine } from '../ports/execution-engine.js';
import type { RunRecord } from '../ports/runs.js';
import { RunIdentitySchema } from '../step-runner/step-event.js';
import { closeRun, type RunCloserDeps } from './close-run.js';
import type { ExecutionOutcome } from './run-lifecycle.js';

/**
 * The `detail` of a Step Functions "Step Functions Execution Status Change" event on EventBridge, as
 * far as Elexirion reads it; the local engine reports its executions in the same shape. `input` is
 * the execution input as JSON text, left out by EventBridge when it is too large.
 */
export const ExecutionStatusChangeSchema = z.object({
  executionArn: z.string().min(1),
  stateMachineArn: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(EXECUTION_STATUSES),
  input: z.string().nullish(),
  /** The final state as JSON text, on SUCCEEDED (EventBridge leaves it out when it is too large). */
  output: z.string().nullish(),
  error: z.string().nullish(),
  cause: z.string().nullish(),
  redriveCount: z.number().int().nonnegative().optional(),
});

/** A parsed execution status change. */
export type ExecutionStatusChange = z.infer<typeof ExecutionStatusChangeSchema>;

/** Closing runs from status changes also needs the engine, to read an input the event left out. */
export interface ExecutionEventsDeps extends RunCloserDeps {
  readonly engine: ExecutionEngine;
}

/** The part of an execution input that names its run. */
const ExecutionInputSchema = z.object({ run: RunIdentitySchema });

/**
 * Closes the run of an execution that ended (SUCCEEDED, FAILED, TIMED_OUT or ABORTED) and publishes
 * its event; other statuses, and executions that are not Elexirion runs, are ignored (undefined).
 * The execution-events Lambda and the local engine both call this.
 *
 * @example
 * await handleExecutionStatusChange(ExecutionStatusChangeSchema.parse(event.detail), deps);
 */
export async function handleExecutionStatusChange(
  change: ExecutionStatusChange,
  deps: ExecutionEventsDeps,
): Promise<RunRecord | undefined> {
  const outcome = outcomeOf(change);
  if (!outcome) return undefined;
  const input =
    typeof change.input === 'string'
      ? JSON.parse(change.input)
      : (await deps.engine.describeExecution(change.executionArn)).input;
  const parsed = ExecutionInputSchema.safeParse(input);
  if (!parsed.success) return undefined;
  return closeRun(parsed.data.run, outcome, deps, change.redriveCount ?? 0);
}

/** The run outcome a final execution status means; undefined while the execution goes on. */
function outcomeOf(change: ExecutionStatusChange): ExecutionOutcome | undefined {
  switch (change.status) {
    case 'SUCCEEDED':
      return typeof change.output === 'string'
        ? { status: 'SUCCEEDED', output: JSON.parse(change.output) }
        : { status: 'SUCCEEDED' };
    case 'FAILED':
      return { status: 'FAILED', error: change.error ?? 'States.Runtime', cause: change.cause ?? '' };
    case 'TIMED_OUT':
      return {
        status: 'TIMED_OUT',
        error: change.error ?? 'States.Timeout',
        cause: change.cause ?? 'the execution ran past its TimeoutSeconds',
      };
    case 'ABORTED':
      return {
        status: 'ABORTED',
        error: change.error ?? 'Execution.Aborted',
        cause: change.cause ?? 'the execution was stopped',
      };
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return undefined;
  }
}

import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionDescription, ExecutionStatus } from '../functions/ports/execution-engine.js';
import type { ExecutionStatusChange } from '../functions/runs/execution-status.js';
import { artifactKeys } from '../functions/shared/artifact-keys.js';
import type { AslObject } from '../pipelines/contract/spec-bundle.js';
import type { TaskHandler } from './execution-options.js';

/** The account and region local ARNs name, as aws-local-stepfunctions' own context does. */
const LOCAL_ARN_BASE = 'arn:aws:states:us-east-1:000000000000:stateMachine:';

/** The ARN the local engine gives the state machine `name`. */
export function localStateMachineArn(name: string): string {
  return `${LOCAL_ARN_BASE}${name}`;
}

/** The name in a local state machine ARN; undefined for any other ARN. */
export function localMachineName(stateMachineArn: string): string | undefined {
  return stateMachineArn.startsWith(LOCAL_ARN_BASE)
    ? stateMachineArn.slice(LOCAL_ARN_BASE.length)
    : undefined;
}

/** The error of an execution whose process ended while it ran, as a restarted engine finds it. */
export const PROCESS_DIED = 'Local.ProcessDied';

/**
 * The top-level state types whose entry is checkpointed: those that do work or take time. Pass,
 * Choice, Succeed and Fail states end at once, so a crash during them resumes at the last of these
 * just as well, and skipping them saves a write per control-flow state.
 */
export const CHECKPOINTED: ReadonlySet<string> = new Set(['Task', 'Map', 'Parallel', 'Wait']);

/** Where a redrive resumes: the last top-level state entered, with the input it received. */
export interface ResumePoint {
  readonly state: string;
  readonly input: unknown;
}

/** An execution the engine runs or ran. */
export interface LocalExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: unknown;
  /** The definition it started with; updating the state machine does not change a started execution. */
  readonly definition: AslObject;
  status: ExecutionStatus;
  redriveCount: number;
  error?: string;
  cause?: string;
  /** The final state of a succeeded execution. */
  output?: unknown;
  /** The last top-level state entered and its input: where a redrive resumes. */
  resumeAt?: ResumePoint;
  /** Replaced at each redrive: an interpreter whose controller is no longer this one is superseded. */
  controller: AbortController;
  /** Settles when the execution has ended and its status change has been handled. */
  done: Promise<void>;
  /** The execution's writes to the store, one after the other; never rejects. */
  writes: Promise<void>;
  /** A checkpoint write is queued and has not started: a later state entry needs no write of its own. */
  checkpointQueued: boolean;
}

/** An execution as {@link artifactKeys.localExecution} keeps it: what a later process rebuilds it from. */
export type StoredExecution = Pick<
  LocalExecution,
  | 'executionArn'
  | 'stateMachineArn'
  | 'name'
  | 'input'
  | 'definition'
  | 'status'
  | 'redriveCount'
  | 'error'
  | 'cause'
  | 'output'
  | 'resumeAt'
>;

/** A checkpoint as {@link artifactKeys.localCheckpoint} keeps it, for the redrive it belongs to. */
export interface StoredCheckpoint {
  readonly executionArn: string;
  readonly redriveCount: number;
  readonly resumeAt?: ResumePoint;
}

/** A stored execution read into memory, and whether it was found left running by a dead process. */
export interface Loaded {
  readonly execution: LocalExecution;
  readonly died: boolean;
}

/**
 * Calls each Task's handler only once the checkpoint of the execution's current top-level state is
 * stored, so a provider call never happens while the checkpoint still names an earlier state: once
 * a step's call has begun, no step before it runs again after a crash. (Waiting after the call
 * instead, overlapping the write, measured no faster on the local stack: the write's cost there is
 * the emulator's CPU, not its latency.) The interpreter hands its events over on microtasks, so once
 * the next macrotask comes the StateEntered of the Task's state has reached `onEvent` and queued the
 * write.
 */
export function afterCheckpoint(
  execution: LocalExecution,
  handlers: Readonly<Record<string, TaskHandler>>,
): Record<string, TaskHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([resource, handler]) => [
      resource,
      async (input: unknown) => {
        await nextMacrotask();
        await execution.writes;
        return handler(input);
      },
    ]),
  );
}

export function describe(execution: LocalExecution): ExecutionDescription {
  const { executionArn, stateMachineArn, name, status, input, redriveCount, error, cause } = execution;
  return {
    executionArn,
    stateMachineArn,
    name,
    status,
    input: structuredClone(input),
    redriveCount,
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
  };
}

/** An error with a Step Functions error name, compared by `name` like the SDK's. */
export function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** An execution rebuilt from its stored record, not running in this process. */
export function fromStored(stored: StoredExecution): LocalExecution {
  return {
    ...stored,
    controller: new AbortController(),
    done: Promise.resolve(),
    writes: Promise.resolve(),
    checkpointQueued: false,
  };
}

/** Fails an execution a dead process left running with {@link PROCESS_DIED}, naming where a redrive resumes. */
export function markDied(execution: LocalExecution): void {
  Object.assign(execution, {
    status: 'FAILED',
    error: PROCESS_DIED,
    cause:
      'the process running the execution ended before it did (killed or crashed); a redrive ' +
      (execution.resumeAt
        ? `resumes it at state "${execution.resumeAt.state}"`
        : 'runs it again from the start'),
  });
}

/** The status change of an ended execution, in the shape of the EventBridge event's detail. */
export function statusChangeOf(execution: LocalExecution): ExecutionStatusChange {
  const { executionArn, stateMachineArn, name, status, redriveCount, error, cause } = execution;
  return {
    executionArn,
    stateMachineArn,
    name,
    status,
    input: JSON.stringify(execution.input),
    ...(execution.output === undefined ? {} : { output: JSON.stringify(execution.output) }),
    redriveCount,
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
  };
}

/** Runs `write` after the execution's earlier writes; the returned promise rejects when it fails. */
export function queueWrite(execution: LocalExecution, write: () => Promise<unknown>): Promise<void> {
  const written = execution.writes.then(write).then(() => undefined);
  execution.writes = written.catch(() => undefined);
  return written;
}

/** Tries at delivering a status change, and the wait before the second (doubling after). */
const DELIVERY_ATTEMPTS = 5;
const DELIVERY_BACKOFF_MS = 100;

/**
 * Calls `deliver` until it succeeds, with backoff, as EventBridge retries its Lambda target: true
 * once delivered; after the last try the error goes to `onFailure` and the answer is false.
 */
export async function deliverWithBackoff(
  deliver: () => Promise<unknown>,
  onFailure: (error: unknown) => void,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deliver();
      return true;
    } catch (failure) {
      if (attempt === DELIVERY_ATTEMPTS) {
        onFailure(failure);
        return false;
      }
      await sleep(DELIVERY_BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}

/** The line telling of an execution an earlier process left behind, now ended and reported. */
export function reconciledMessage(execution: ExecutionDescription): string {
  return execution.error === PROCESS_DIED
    ? `run ${execution.name} was running when an earlier process ended: now FAILED (${PROCESS_DIED}); redrive it to resume`
    : `run ${execution.name} ended ${execution.status} in an earlier process: reported now`;
}

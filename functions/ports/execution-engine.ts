import type { AslObject } from '../../pipelines/contract/spec-bundle.js';

/** Execution states as `DescribeExecution` reports them. */
export const EXECUTION_STATUSES = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
] as const;

/** One of {@link EXECUTION_STATUSES}. */
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** An execution as `DescribeExecution` reports it. */
export interface ExecutionDescription {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly redriveCount: number;
  readonly error?: string;
  readonly cause?: string;
}

/** Why an execution is stopped; becomes the ABORTED execution's error and cause. */
export interface StopReason {
  readonly error: string;
  readonly cause: string;
}

/**
 * The Step Functions calls the control plane makes, in the core's vocabulary: AWS Step Functions in
 * the cloud (`SfnExecutionEngine`), the local executor on a laptop (`LocalExecutionEngine`).
 * Executions are named by run id, so starting the same run twice cannot create two executions.
 * Failures keep Step Functions' error names (`ExecutionDoesNotExist`, `ExecutionNotRedrivable`,
 * `ExecutionAlreadyExists`, `StateMachineAlreadyExists`, `StateMachineDoesNotExist`), compared by `name`.
 *
 * @example
 * const arn = await engine.deployStateMachine('elexirion-acme_api_chain', compiled.asl, record?.stateMachine);
 * const execution = await engine.startExecution(arn, runId, executionInput);
 */
export interface ExecutionEngine {
  /**
   * Creates a Standard state machine and returns its ARN. The definition holds `${…}` placeholders;
   * the engine binds them. Creating one identical to an existing machine returns that machine's ARN
   * (Step Functions' idempotency). A different machine of that name is updated only when `replaces`
   * is its ARN, as the caller recorded it when it created that machine; otherwise the call fails
   * with `StateMachineAlreadyExists`, so a name that merely matches never overwrites a machine the
   * caller did not create.
   */
  deployStateMachine(name: string, definition: AslObject, replaces?: string): Promise<string>;
  /**
   * Starts an execution and returns its ARN. Starting a running execution again with the same name
   * and input returns the same ARN (Step Functions' execution-name idempotency).
   */
  startExecution(stateMachineArn: string, name: string, input: unknown): Promise<string>;
  describeExecution(executionArn: string): Promise<ExecutionDescription>;
  /** Stops a running execution; it ends ABORTED with the reason as its error and cause. */
  stopExecution(executionArn: string, reason: StopReason): Promise<void>;
  /** Resumes a FAILED, TIMED_OUT or ABORTED execution from the state where it stopped. */
  redriveExecution(executionArn: string): Promise<void>;
}

/**
 * The ARN of the execution named `name` of a state machine, as Step Functions forms it:
 * `arn:aws:states:R:A:stateMachine:M` gives `arn:aws:states:R:A:execution:M:name`.
 */
export function executionArnOf(stateMachineArn: string, name: string): string {
  const marker = ':stateMachine:';
  const at = stateMachineArn.indexOf(marker);
  if (at < 0) throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return `${stateMachineArn.slice(0, at)}:execution:${stateMachineArn.slice(at + marker.length)}:${name}`;
}

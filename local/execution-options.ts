import type { StateMachine } from 'aws-local-stepfunctions';
import type { ArtifactStore } from '../functions/ports/artifact-store.js';

// The types of `executeStateMachine`'s contract, apart from it so that the modules it calls
// (child executions) can name them without importing the executor back.

/** An entry of the interpreter's event log (StateEntered, StateExited, StateRetried, StateFailed, …). */
export type ExecutionEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** Serves a Task in-process: receives the state's input after `Parameters`, returns its result. */
export type TaskHandler = (input: unknown) => Promise<unknown>;

/** Options of {@link executeStateMachine}. */
export interface ExecuteOptions {
  /** Handlers keyed by a Task's `Resource` exactly as the ASL spells it (`${StepRunnerArn}`). */
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
  /** Becomes `$$.Execution.Name`. */
  readonly executionName: string;
  /** `none` skips Retry and Wait delays (tests); `real` keeps the definition's. Default: `real`. */
  readonly retryDelay?: 'real' | 'none';
  /** Told about every event of the execution, nested Map and Parallel states included. */
  readonly onEvent?: (event: ExecutionEvent) => void;
  /** Aborting stops the execution; the returned promise rejects with the signal's reason. */
  readonly abortSignal?: AbortSignal;
  /**
   * Child state machines (nested pipelines) by the placeholder their parent's `startExecution.sync:2`
   * Tasks name; each such Task runs its child in-process (see `child-executions.ts`).
   */
  readonly childMachines?: Readonly<Record<string, object>>;
  /** The S3 store Distributed Maps read their items from and write their results to. */
  readonly artifacts?: ArtifactStore;
}

/** How an execution ended, as `DescribeExecution` would report it. */
export type ExecutionResult =
  | { readonly status: 'SUCCEEDED'; readonly output: unknown }
  | { readonly status: 'FAILED'; readonly error: string; readonly cause: string };

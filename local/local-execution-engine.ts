import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionStatusChange } from '../functions/core/execution-status.js';
import {
  type ExecutionDescription,
  type ExecutionEngine,
  type ExecutionStatus,
  executionArnOf,
  type StopReason,
} from '../functions/core/ports/execution-engine.js';
import { canonicalJson } from '../statemachines/canonical-json.js';
import type { AslObject } from '../statemachines/types.js';
import { executeStateMachine, type TaskHandler } from './executor.js';
import { resumeDefinition } from './resume-definition.js';

/** Tries at delivering a status change, and the wait before the second (doubling after). */
const DELIVERY_ATTEMPTS = 5;
const DELIVERY_BACKOFF_MS = 100;

/** The account and region local ARNs name, as aws-local-stepfunctions' own context does. */
const LOCAL_ARN_BASE = 'arn:aws:states:us-east-1:000000000000:stateMachine:';

/** Options of {@link LocalExecutionEngine}. */
export interface LocalExecutionEngineOptions {
  /** Task handlers by `Resource` placeholder, e.g. `{ '${StepRunnerArn}': stepRunner }`. */
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
  /** `none` skips Retry and Wait delays (tests, benchmarks); `real` keeps the definition's. */
  readonly retryDelay: 'real' | 'none';
  /** Told when an execution ends, as EventBridge tells the execution-events Lambda on AWS. */
  readonly onStatusChange?: (change: ExecutionStatusChange) => Promise<unknown>;
  /** Told when `onStatusChange` still fails after its retries. */
  readonly onError?: (error: unknown) => void;
}

/** An execution the engine runs or ran. */
interface LocalExecution {
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
  resumeAt?: { readonly state: string; readonly input: unknown };
  controller: AbortController;
  /** Settles when the execution has ended and its status change has been handled. */
  done: Promise<void>;
}

/**
 * The execution engine on the local stack: executions run in the background in this process on the
 * local Step Functions interpreter, and report their end through `onStatusChange`.
 *
 * Differences from AWS, by design: executions live in memory (a restart forgets them, so their runs
 * can no longer be cancelled or redriven); a redrive resumes at the top-level state where the
 * execution stopped, with the input that state received, so a failed Map or Parallel state runs
 * again as a whole, where AWS reruns only its failed iterations or branches.
 *
 * @example
 * const engine = new LocalExecutionEngine({ taskHandlers, retryDelay: 'real', onStatusChange });
 * const arn = await engine.deployStateMachine('elexirion-local-chain', asl);
 * await engine.startExecution(arn, runId, input);
 */
export class LocalExecutionEngine implements ExecutionEngine {
  private readonly machines = new Map<string, AslObject>();
  private readonly executions = new Map<string, LocalExecution>();

  constructor(private readonly options: LocalExecutionEngineOptions) {}

  async deployStateMachine(name: string, definition: AslObject): Promise<string> {
    const arn = `${LOCAL_ARN_BASE}${name}`;
    this.machines.set(arn, structuredClone(definition));
    return arn;
  }

  async startExecution(stateMachineArn: string, name: string, input: unknown): Promise<string> {
    const definition = this.machines.get(stateMachineArn);
    if (!definition) throw named('StateMachineDoesNotExist', `no state machine ${stateMachineArn}`);
    const executionArn = executionArnOf(stateMachineArn, name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && canonicalJson(existing.input) === canonicalJson(input))
        return executionArn;
      throw named('ExecutionAlreadyExists', `execution ${name} already exists`);
    }
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn,
      name,
      input: structuredClone(input),
      definition,
      status: 'RUNNING',
      redriveCount: 0,
      controller: new AbortController(),
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    this.launch(execution, definition, execution.input);
    return executionArn;
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    const { stateMachineArn, name, status, input, redriveCount, error, cause } = this.find(executionArn);
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

  async stopExecution(executionArn: string, reason: StopReason): Promise<void> {
    const execution = this.find(executionArn);
    if (execution.status !== 'RUNNING') return;
    // ABORTED at once, as after StopExecution on AWS; the interpreter winds down in the background.
    Object.assign(execution, { status: 'ABORTED', error: reason.error, cause: reason.cause });
    execution.controller.abort(named(reason.error, reason.cause));
  }

  async redriveExecution(executionArn: string): Promise<void> {
    const execution = this.find(executionArn);
    if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution.status)) {
      throw named('ExecutionNotRedrivable', `execution ${execution.name} is ${execution.status}`);
    }
    const { resumeAt } = execution;
    const definition = resumeAt
      ? resumeDefinition(execution.definition, resumeAt.state)
      : execution.definition;
    Object.assign(execution, {
      status: 'RUNNING',
      redriveCount: execution.redriveCount + 1,
      error: undefined,
      cause: undefined,
      controller: new AbortController(),
    });
    this.launch(execution, definition, resumeAt ? resumeAt.input : execution.input);
  }

  /** Settles when every execution started so far has ended and its status change was handled. */
  async whenIdle(): Promise<void> {
    let pending = [...this.executions.values()].map((execution) => execution.done);
    while (pending.length) {
      await Promise.all(pending);
      // Handling a status change may have started more (a trigger, a redrive).
      pending = [...this.executions.values()].filter((e) => e.status === 'RUNNING').map((e) => e.done);
    }
  }

  /** Stops every running execution with `reason` and waits for their status changes to be handled. */
  async stopAll(reason: StopReason): Promise<void> {
    for (const execution of this.executions.values())
      await this.stopExecution(execution.executionArn, reason);
    await this.whenIdle();
  }

  private launch(execution: LocalExecution, definition: AslObject, input: unknown): void {
    const topLevel = new Set(Object.keys((definition.States ?? {}) as object));
    const { controller } = execution;
    const run = executeStateMachine(definition, input, {
      taskHandlers: this.options.taskHandlers,
      executionName: execution.name,
      retryDelay: this.options.retryDelay,
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'StateEntered' && event.index === undefined && topLevel.has(event.state.name)) {
          execution.resumeAt = { state: event.state.name, input: event.state.input };
        }
      },
    });
    execution.done = run
      .then(
        (result) => {
          if (controller.signal.aborted) return;
          Object.assign(
            execution,
            result.status === 'SUCCEEDED'
              ? { status: 'SUCCEEDED', output: result.output }
              : { status: 'FAILED', error: result.error, cause: result.cause },
          );
        },
        (error: unknown) => {
          if (controller.signal.aborted) return; // stopExecution already recorded ABORTED
          const failure = error instanceof Error ? error : new Error(String(error));
          Object.assign(execution, { status: 'FAILED', error: failure.name, cause: failure.message });
        },
      )
      .then(() => this.report(execution));
  }

  /**
   * Hands the ended execution to `onStatusChange`, in the shape of the EventBridge event's detail.
   * A failed delivery is tried again with backoff, as EventBridge retries its Lambda target; only
   * after the last try is the error handed to `onError`.
   */
  private async report(execution: LocalExecution): Promise<void> {
    const { executionArn, stateMachineArn, name, status, redriveCount, error, cause } = execution;
    const change: ExecutionStatusChange = {
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
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.onStatusChange?.(change);
        return;
      } catch (failure) {
        if (attempt === DELIVERY_ATTEMPTS) {
          this.options.onError?.(failure);
          return;
        }
        await sleep(DELIVERY_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
  }

  private find(executionArn: string): LocalExecution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw named('ExecutionDoesNotExist', `no execution ${executionArn}`);
    return execution;
  }
}

/** An error with a Step Functions error name, compared by `name` like the SDK's. */
function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

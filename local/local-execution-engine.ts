import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import {
  type ExecutionDescription,
  type ExecutionEngine,
  executionArnOf,
  type StopReason,
} from '../functions/ports/execution-engine.js';
import type { ExecutionStatusChange } from '../functions/runs/execution-status.js';
import { canonicalJson } from '../pipelines/canonical-json.js';
import type { AslObject } from '../pipelines/contract/spec-bundle.js';
import { childMachinesOf, startsChildren } from './child-executions.js';
import type { ExecuteOptions, TaskHandler } from './execution-options.js';
import { ExecutionStore } from './execution-store.js';
import { executeStateMachine } from './executor.js';
import {
  afterCheckpoint,
  CHECKPOINTED,
  deliverWithBackoff,
  describe,
  type Loaded,
  type LocalExecution,
  localMachineName,
  localStateMachineArn,
  named,
  PROCESS_DIED,
  queueWrite,
  statusChangeOf,
} from './local-execution.js';
import { resumeDefinition } from './resume-definition.js';

/** Options of {@link LocalExecutionEngine}. */
export interface LocalExecutionEngineOptions {
  /** Task handlers by `Resource` placeholder, e.g. `{ '${StepRunnerArn}': stepRunner }`. */
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
  /** `none` skips Retry and Wait delays (tests, benchmarks); `real` keeps the definition's. */
  readonly retryDelay: 'real' | 'none';
  /**
   * Where state machines, executions and their checkpoints are kept (the local stack's bucket), so
   * that a later process over the same data directory can start, describe, cancel and redrive them
   * and {@link LocalExecutionEngine.reconcile} the ones a dead process left running. Only one
   * engine may use a store at a time (the data directory's lock sees to it).
   * @default - in memory only: a restart forgets every execution
   */
  readonly store?: ArtifactStore;
  /** The S3 store Distributed Maps read their items from and write their results to. */
  readonly artifacts?: ArtifactStore;
  /** Told about every event of every execution (states entered and exited, retries), to show progress. */
  readonly onEvent?: ExecuteOptions['onEvent'];
  /** Told when an execution ends, as EventBridge tells the execution-events Lambda on AWS. */
  readonly onStatusChange?: (change: ExecutionStatusChange) => Promise<unknown>;
  /** Told when `onStatusChange` still fails after its retries, and when writing to `store` fails. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The execution engine on the local stack: executions run in the background in this process on the
 * local Step Functions interpreter, and report their end through `onStatusChange`.
 *
 * With a `store` (as `elexirion dev` runs it, over the data directory's S3 bucket) the engine keeps
 * its machines, executions and checkpoints there (see {@link ExecutionStore} for what is written
 * when), and a Task's handler is called only once the checkpoint naming its state is stored. A
 * process that dies (`kill -9`, a crash) leaves its running executions' checkpoints behind:
 * {@link reconcile}, called once before serving, fails each with {@link PROCESS_DIED} and reports
 * that like any other end, so their runs close FAILED and can be redriven from the checkpoint.
 * Without a store, executions live in memory only and a restart forgets them.
 *
 * Differences from AWS, by design: a redrive resumes at the top-level state where the execution
 * stopped, with the input that state received, so a failed Map or Parallel state runs again as a
 * whole, where AWS reruns only its failed iterations or branches; and after a process died, a step
 * whose call had finished but whose successor's checkpoint was not stored yet (the time of one
 * local S3 write) runs again on redrive.
 *
 * @example
 * const engine = new LocalExecutionEngine({ taskHandlers, retryDelay: 'real', onStatusChange, store });
 * await engine.reconcile();
 * const arn = await engine.deployStateMachine('elexirion-local_stack_chain', asl);
 * await engine.startExecution(arn, runId, input);
 */
export class LocalExecutionEngine implements ExecutionEngine {
  private readonly machines = new Map<string, AslObject>();
  private readonly executions = new Map<string, LocalExecution>();
  /** Reads of stored executions under way, so two callers asking at once get one execution. */
  private readonly loading = new Map<string, Promise<Loaded | undefined>>();

  private readonly store: ExecutionStore | undefined;

  constructor(private readonly options: LocalExecutionEngineOptions) {
    this.store = options.store && new ExecutionStore(options.store);
  }

  async deployStateMachine(name: string, definition: AslObject, replaces?: string): Promise<string> {
    const arn = localStateMachineArn(name);
    const existing = this.machines.get(arn) ?? (await this.loadMachine(arn));
    if (existing && replaces !== arn && canonicalJson(existing) !== canonicalJson(definition)) {
      throw named('StateMachineAlreadyExists', `state machine ${name} already exists`);
    }
    this.machines.set(arn, structuredClone(definition));
    if (this.store && (existing === undefined || canonicalJson(existing) !== canonicalJson(definition))) {
      await this.store.putMachine(name, definition);
    }
    return arn;
  }

  async startExecution(stateMachineArn: string, name: string, input: unknown): Promise<string> {
    const definition = this.machines.get(stateMachineArn) ?? (await this.loadMachine(stateMachineArn));
    if (!definition) throw named('StateMachineDoesNotExist', `no state machine ${stateMachineArn}`);
    const children = startsChildren(definition) ? await childMachinesOf(definition, this.machineNamed) : {};
    const executionArn = executionArnOf(stateMachineArn, name);
    // An execution of an earlier process keeps its name, as on AWS (a HEAD tells without reading it).
    // From the last await on, nothing awaits until the new execution is in the map, so a concurrent
    // start of the same name finds it.
    if (!this.executions.has(executionArn) && (await this.store?.hasExecution(executionArn))) {
      await this.lookup(executionArn);
    }
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
      writes: Promise.resolve(),
      checkpointQueued: false,
    };
    this.executions.set(executionArn, execution);
    try {
      await this.storeStart(execution);
    } catch (error) {
      this.executions.delete(executionArn);
      throw error;
    }
    this.launch(execution, definition, execution.input, children);
    return executionArn;
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    return describe(await this.find(executionArn));
  }

  async stopExecution(executionArn: string, reason: StopReason): Promise<void> {
    const execution = await this.find(executionArn);
    if (execution.status !== 'RUNNING') return;
    // ABORTED at once, as after StopExecution on AWS; the interpreter winds down in the background.
    Object.assign(execution, { status: 'ABORTED', error: reason.error, cause: reason.cause });
    execution.controller.abort(named(reason.error, reason.cause));
  }

  async redriveExecution(executionArn: string): Promise<void> {
    const execution = await this.find(executionArn);
    if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution.status)) {
      throw named('ExecutionNotRedrivable', `execution ${execution.name} is ${execution.status}`);
    }
    const { resumeAt } = execution;
    const definition = resumeAt
      ? resumeDefinition(execution.definition, resumeAt.state)
      : execution.definition;
    const children = startsChildren(execution.definition)
      ? await childMachinesOf(execution.definition, this.machineNamed)
      : {};
    const { status, redriveCount, error, cause, controller } = execution;
    Object.assign(execution, {
      status: 'RUNNING',
      redriveCount: redriveCount + 1,
      error: undefined,
      cause: undefined,
      controller: new AbortController(),
    });
    try {
      await this.storeStart(execution);
    } catch (failure) {
      Object.assign(execution, { status, redriveCount, error, cause, controller });
      throw failure;
    }
    this.launch(execution, definition, resumeAt ? resumeAt.input : execution.input, children);
  }

  /**
   * Closes what a dead process left behind in the store: each execution found running there fails
   * with {@link PROCESS_DIED} (its cause naming the state a redrive resumes at), is stored so, and
   * is reported through `onStatusChange` as any end is, so its run closes FAILED and can be redriven;
   * an execution that had ended but whose end was not reported is reported now. Call it once, before
   * serving: one process holds a data directory at a time, so what runs there is no one's but ours.
   *
   * @returns the executions whose end it reported
   */
  async reconcile(): Promise<ExecutionDescription[]> {
    if (!this.store) return [];
    const reported: ExecutionDescription[] = [];
    for (const { key, checkpoint } of await this.store.listCheckpoints()) {
      if (!checkpoint || this.executions.has(checkpoint.executionArn)) continue; // gone, or ours
      const loaded = await this.load(checkpoint.executionArn);
      if (!loaded) {
        await this.store.deleteKey(key); // a checkpoint without its execution record: nothing to resume
        continue;
      }
      const { execution } = loaded;
      if (!loaded.died && execution.status !== 'RUNNING') {
        execution.done = this.finish(execution, execution.controller);
        await execution.done;
      }
      reported.push(describe(execution));
    }
    return reported;
  }

  /** Settles when every execution started so far has ended and its status change was handled. */
  async whenIdle(): Promise<void> {
    let pending = [...this.executions.values()].map((execution) => execution.done);
    while (pending.length) {
      await Promise.all(pending);
      // Handling a status change may have started more (a trigger, a redrive). Yield to I/O between
      // rounds, so an execution that is RUNNING but not yet launched can never starve the loop.
      await nextMacrotask();
      pending = [...this.executions.values()].filter((e) => e.status === 'RUNNING').map((e) => e.done);
    }
  }

  /** Stops every running execution with `reason` and waits for their status changes to be handled. */
  async stopAll(reason: StopReason): Promise<void> {
    for (const execution of this.executions.values())
      await this.stopExecution(execution.executionArn, reason);
    await this.whenIdle();
  }

  private launch(
    execution: LocalExecution,
    definition: AslObject,
    input: unknown,
    children: Readonly<Record<string, AslObject>>,
  ): void {
    const states = Object.entries((definition.States ?? {}) as Record<string, AslObject>);
    const topLevel = new Set(states.map(([name]) => name));
    const checkpointed = new Set(
      states.filter(([, state]) => CHECKPOINTED.has(String(state.Type))).map(([name]) => name),
    );
    const { controller } = execution;
    const run = executeStateMachine(definition, input, {
      taskHandlers: this.store
        ? afterCheckpoint(execution, this.options.taskHandlers)
        : this.options.taskHandlers,
      executionName: execution.name,
      retryDelay: this.options.retryDelay,
      abortSignal: controller.signal,
      childMachines: children,
      ...(this.options.artifacts ? { artifacts: this.options.artifacts } : {}),
      onEvent: (event) => {
        if (execution.controller !== controller) return; // a stopped interpreter winding down after a redrive
        this.options.onEvent?.(event);
        if (event.type === 'StateEntered' && event.index === undefined && topLevel.has(event.state.name)) {
          execution.resumeAt = { state: event.state.name, input: event.state.input };
          if (checkpointed.has(event.state.name)) this.storeCheckpoint(execution);
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
      .then(() => this.finish(execution, controller));
  }

  /**
   * What follows the end of an interpreter run under `controller`: the record is stored with the
   * outcome while the outcome is reported, and only then is the checkpoint deleted, so a process
   * dying before both are done leaves the checkpoint for {@link reconcile} (which reports again:
   * closing a run is idempotent). Nothing happens once a redrive superseded the run (the redrive
   * owns the record, the checkpoint and the next report).
   */
  private async finish(execution: LocalExecution, controller: AbortController): Promise<void> {
    const current = () => execution.controller === controller;
    if (!current()) return;
    const { store } = this;
    const ended = { ...execution }; // the record as it ended, whatever a redrive changes meanwhile
    const [, delivered] = await Promise.all([
      store ? queueWrite(execution, () => store.putRecord(ended)).catch(this.tell) : undefined,
      this.report(execution),
    ]);
    if (store && delivered && current()) {
      await queueWrite(execution, () => store.deleteCheckpoint(execution.executionArn)).catch(this.tell);
    }
  }

  /**
   * Stores a started or redriven execution, before it runs: its record and its first checkpoint,
   * so that from then on a checkpoint names every execution the store says is running. The
   * execution is RUNNING already, so until it launches its `done` is this write: `whenIdle` then
   * waits on the I/O instead of spinning on a settled promise that would starve it.
   */
  private async storeStart(execution: LocalExecution): Promise<void> {
    const { store } = this;
    const started = { ...execution }; // as it starts, before the interpreter changes it
    const stored = store ? queueWrite(execution, () => store.putStart(started)) : Promise.resolve();
    execution.done = stored.then(
      () => undefined,
      () => undefined,
    );
    await stored;
  }

  /** Queues a write of the execution's latest checkpoint, unless one is queued that has not started. */
  private storeCheckpoint(execution: LocalExecution): void {
    const { store } = this;
    if (!store || execution.checkpointQueued) return;
    execution.checkpointQueued = true;
    const { controller } = execution;
    queueWrite(execution, async () => {
      execution.checkpointQueued = false;
      if (execution.controller !== controller) return;
      await store.putCheckpoint(execution);
    }).catch(this.tell);
  }

  /**
   * Hands the ended execution to `onStatusChange`, in the shape of the EventBridge event's detail.
   * A failed delivery is tried again with backoff, as EventBridge retries its Lambda target; only
   * after the last try is the error handed to `onError`, and false returned.
   */
  private report(execution: LocalExecution): Promise<boolean> {
    const change = statusChangeOf(execution);
    return deliverWithBackoff(async () => this.options.onStatusChange?.(change), this.tell);
  }

  private async find(executionArn: string): Promise<LocalExecution> {
    const execution = await this.lookup(executionArn);
    if (!execution) throw named('ExecutionDoesNotExist', `no execution ${executionArn}`);
    return execution;
  }

  /** The execution in memory, or else as the store keeps it (loaded once, then in memory). */
  private async lookup(executionArn: string): Promise<LocalExecution | undefined> {
    return this.executions.get(executionArn) ?? (await this.load(executionArn))?.execution;
  }

  /**
   * Reads a stored execution into memory. One stored as RUNNING that this engine does not run was
   * left by a dead process: it is failed with {@link PROCESS_DIED} (`died`) before it is handed out.
   */
  private load(executionArn: string): Promise<Loaded | undefined> {
    const known = this.executions.get(executionArn);
    if (known) return Promise.resolve({ execution: known, died: false });
    const { store } = this;
    if (!store) return Promise.resolve(undefined);
    let loading = this.loading.get(executionArn);
    if (!loading) {
      loading = this.read(store, executionArn).finally(() => this.loading.delete(executionArn));
      this.loading.set(executionArn, loading);
    }
    return loading;
  }

  private async read(store: ExecutionStore, executionArn: string): Promise<Loaded | undefined> {
    const loaded = await store.readExecution(executionArn);
    if (!loaded) return undefined;
    const { execution } = loaded;
    this.executions.set(executionArn, execution);
    if (loaded.died) {
      execution.done = this.finish(execution, execution.controller);
      await execution.done;
    }
    return loaded;
  }

  /** A stored state machine, now in memory too; undefined when there is none. */
  private async loadMachine(stateMachineArn: string): Promise<AslObject | undefined> {
    const name = localMachineName(stateMachineArn);
    const definition = name === undefined ? undefined : await this.store?.getMachine(name);
    if (definition && !this.machines.has(stateMachineArn)) this.machines.set(stateMachineArn, definition);
    return this.machines.get(stateMachineArn);
  }

  /** A deployed machine by ARN, read from the store when an earlier process deployed it. */
  private readonly machineNamed = async (arn: string) => this.machines.get(arn) ?? this.loadMachine(arn);

  private readonly tell = (error: unknown): void => {
    this.options.onError?.(error);
  };
}

import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';
import { artifactKeys } from '../functions/core/artifact-keys.js';
import type { StateMachineFor } from '../functions/core/catalog/file-catalog.js';
import type { ExecutionStatusChange } from '../functions/core/execution-status.js';
import type { ArtifactStore } from '../functions/core/ports/artifact-store.js';
import {
  type ExecutionDescription,
  type ExecutionEngine,
  type ExecutionStatus,
  executionArnOf,
  type StopReason,
} from '../functions/core/ports/execution-engine.js';
import { childStateMachineName, shippedStateMachineName } from '../functions/core/state-machine-names.js';
import { canonicalJson } from '../statemachines/canonical-json.js';
import { type AslObject, type ChildStateMachine, START_EXECUTION_SYNC } from '../statemachines/types.js';
import { listStates } from './definition-states.js';
import { executeStateMachine, type TaskHandler } from './executor.js';
import { resumeDefinition } from './resume-definition.js';

/** Tries at delivering a status change, and the wait before the second (doubling after). */
const DELIVERY_ATTEMPTS = 5;
const DELIVERY_BACKOFF_MS = 100;

/** The account and region local ARNs name, as aws-local-stepfunctions' own context does. */
const LOCAL_ARN_BASE = 'arn:aws:states:us-east-1:000000000000:stateMachine:';

/** The ARN {@link LocalExecutionEngine} gives the state machine `name`. */
function localStateMachineArn(name: string): string {
  return `${LOCAL_ARN_BASE}${name}`;
}

/**
 * How `elexirion dev` runs its file pipelines on `engine`: each as the tenant's shipped machine,
 * which the dev server deploys itself and so replaces (`replaces`: its own ARN) when the file changes.
 *
 * @example
 * const catalog = new FilePipelineCatalog(files, shippedMachinesOn(engine));
 */
export function shippedMachinesOn(engine: LocalExecutionEngine): StateMachineFor {
  return async (tenantId, pipeline, asl, children) => {
    // As the stack deploys them: each child of a nested pipeline a machine of its own, deepest
    // first, its ARN written where its parent names its placeholder.
    const arns = new Map<string, string>();
    const depth = (child: ChildStateMachine) => child.scope.split('.').length;
    for (const child of [...children].sort((a, b) => depth(b) - depth(a))) {
      const name = childStateMachineName(tenantId, pipeline, child.scope);
      const definition = withPlaceholders(child.definition, arns);
      arns.set(
        child.placeholder,
        await engine.deployStateMachine(name, definition, localStateMachineArn(name)),
      );
    }
    const name = shippedStateMachineName(tenantId, pipeline);
    return engine.deployStateMachine(name, withPlaceholders(asl, arns), localStateMachineArn(name));
  };
}

/** Whether `definition` has a `.sync` Task starting a child execution. */
function startsChildren(definition: AslObject): boolean {
  return listStates(definition).some(({ state }) => state.Resource === START_EXECUTION_SYNC);
}

/** `definition` with every string value that is one of `values`' placeholders replaced by its value. */
function withPlaceholders(definition: AslObject, values: ReadonlyMap<string, string>): AslObject {
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return values.get(value) ?? value;
    if (Array.isArray(value)) return value.map(replace);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replace(inner)]));
    }
    return value;
  };
  return replace(definition) as AslObject;
}

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
  /** Told when an execution ends, as EventBridge tells the execution-events Lambda on AWS. */
  readonly onStatusChange?: (change: ExecutionStatusChange) => Promise<unknown>;
  /** Told when `onStatusChange` still fails after its retries, and when writing to `store` fails. */
  readonly onError?: (error: unknown) => void;
}

/** The error of an execution whose process ended while it ran, as a restarted engine finds it. */
export const PROCESS_DIED = 'Local.ProcessDied';

/**
 * The top-level state types whose entry is checkpointed: those that do work or take time. Pass,
 * Choice, Succeed and Fail states end at once, so a crash during them resumes at the last of these
 * just as well, and skipping them saves a write per control-flow state.
 */
const CHECKPOINTED: ReadonlySet<string> = new Set(['Task', 'Map', 'Parallel', 'Wait']);

/** Where a redrive resumes: the last top-level state entered, with the input it received. */
interface ResumePoint {
  readonly state: string;
  readonly input: unknown;
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
type StoredExecution = Pick<
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
interface StoredCheckpoint {
  readonly executionArn: string;
  readonly redriveCount: number;
  readonly resumeAt?: ResumePoint;
}

/**
 * The execution engine on the local stack: executions run in the background in this process on the
 * local Step Functions interpreter, and report their end through `onStatusChange`.
 *
 * With a `store` (as `elexirion dev` runs it, over the data directory's S3 bucket) the engine keeps,
 * besides its state machines, each execution's record (definition, input, status, where a redrive
 * resumes) and, while it runs, a checkpoint: the last top-level state entered and that state's
 * input. The record is written when the execution starts (with the first checkpoint), is redriven
 * and ends; the checkpoint at most once per top-level Task, Map, Parallel or Wait state entered
 * (entries that come while a write is queued share it; control-flow states are not written), and
 * a Task's handler is called only once the checkpoint naming its state is stored, so once a step's
 * provider call has begun no earlier step runs again. A process that dies (`kill -9`, a crash) leaves its running
 * executions' checkpoints behind: {@link reconcile}, called once before serving, fails each with
 * {@link PROCESS_DIED} and reports that like any other end, so their runs close FAILED (through
 * `onStatusChange`, as on AWS) and can be redriven; the redrive resumes at the checkpoint. The
 * executions of earlier processes are read from the store when asked for, so ended ones can be
 * described and redriven too. Without a store, executions live in memory only and a restart
 * forgets them.
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

  constructor(private readonly options: LocalExecutionEngineOptions) {}

  async deployStateMachine(name: string, definition: AslObject, replaces?: string): Promise<string> {
    const arn = localStateMachineArn(name);
    const existing = this.machines.get(arn) ?? (await this.loadMachine(arn));
    if (existing && replaces !== arn && canonicalJson(existing) !== canonicalJson(definition)) {
      throw named('StateMachineAlreadyExists', `state machine ${name} already exists`);
    }
    this.machines.set(arn, structuredClone(definition));
    const { store } = this.options;
    if (store && (existing === undefined || canonicalJson(existing) !== canonicalJson(definition))) {
      await store.putJson(artifactKeys.localStateMachine(name), definition);
    }
    return arn;
  }

  async startExecution(stateMachineArn: string, name: string, input: unknown): Promise<string> {
    const definition = this.machines.get(stateMachineArn) ?? (await this.loadMachine(stateMachineArn));
    if (!definition) throw named('StateMachineDoesNotExist', `no state machine ${stateMachineArn}`);
    const children = startsChildren(definition) ? await this.childMachinesOf(definition) : {};
    const executionArn = executionArnOf(stateMachineArn, name);
    // An execution of an earlier process keeps its name, as on AWS (a HEAD tells without reading it).
    // From the last await on, nothing awaits until the new execution is in the map, so a concurrent
    // start of the same name finds it.
    const { store } = this.options;
    if (!this.executions.has(executionArn) && store) {
      if ((await store.size(keysOf(executionArn).record)) !== undefined) await this.lookup(executionArn);
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
      ? await this.childMachinesOf(execution.definition)
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
    const { store } = this.options;
    if (!store) return [];
    const reported: ExecutionDescription[] = [];
    for (const key of await store.list(artifactKeys.localCheckpoints())) {
      const checkpoint = await readIfStored<StoredCheckpoint>(store, key);
      if (!checkpoint || this.executions.has(checkpoint.executionArn)) continue; // gone, or ours
      const loaded = await this.load(checkpoint.executionArn);
      if (!loaded) {
        await store.delete([key]); // a checkpoint without its execution record: nothing to resume
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

  /**
   * The machines the `.sync` Tasks of `definition` start, and theirs, by ARN: each child execution
   * runs in-process in its parent's interpreter (a redrive reruns a child whole).
   */
  private async childMachinesOf(
    definition: AslObject,
    found: Record<string, AslObject> = {},
  ): Promise<Record<string, AslObject>> {
    for (const { state } of listStates(definition)) {
      const arn = (state.Parameters as { StateMachineArn?: unknown } | undefined)?.StateMachineArn;
      if (state.Resource !== START_EXECUTION_SYNC || typeof arn !== 'string' || arn in found) continue;
      const child = this.machines.get(arn) ?? (await this.loadMachine(arn));
      if (!child)
        throw named(
          'StateMachineDoesNotExist',
          `no state machine ${arn}, which ${definition.Comment ?? 'a machine'} starts`,
        );
      found[arn] = child;
      await this.childMachinesOf(child, found);
    }
    return found;
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
      taskHandlers: this.options.store
        ? afterCheckpoint(execution, this.options.taskHandlers)
        : this.options.taskHandlers,
      executionName: execution.name,
      retryDelay: this.options.retryDelay,
      abortSignal: controller.signal,
      childMachines: children,
      onEvent: (event) => {
        if (execution.controller !== controller) return; // a stopped interpreter winding down after a redrive
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
    const { store } = this.options;
    const record = storedOf(execution);
    const [, delivered] = await Promise.all([
      store
        ? this.write(execution, () => store.putJson(keysOf(execution.executionArn).record, record)).catch(
            this.tell,
          )
        : undefined,
      this.report(execution),
    ]);
    if (store && delivered && current()) {
      await this.write(execution, () => store.delete([keysOf(execution.executionArn).checkpoint])).catch(
        this.tell,
      );
    }
  }

  /**
   * Stores a started or redriven execution, before it runs: its record and its first checkpoint,
   * so that from then on a checkpoint names every execution the store says is running. The
   * execution is RUNNING already, so until it launches its `done` is this write: `whenIdle` then
   * waits on the I/O instead of spinning on a settled promise that would starve it.
   */
  private async storeStart(execution: LocalExecution): Promise<void> {
    const stored = this.writeStart(execution);
    execution.done = stored.then(
      () => undefined,
      () => undefined,
    );
    await stored;
  }

  private async writeStart(execution: LocalExecution): Promise<void> {
    const { store } = this.options;
    if (!store) return;
    const record = storedOf(execution);
    const checkpoint = checkpointOf(execution);
    const keys = keysOf(execution.executionArn);
    await this.write(execution, () =>
      Promise.all([store.putJson(keys.record, record), store.putJson(keys.checkpoint, checkpoint)]),
    );
  }

  /** Queues a write of the execution's latest checkpoint, unless one is queued that has not started. */
  private storeCheckpoint(execution: LocalExecution): void {
    const { store } = this.options;
    if (!store || execution.checkpointQueued) return;
    execution.checkpointQueued = true;
    const { controller } = execution;
    this.write(execution, async () => {
      execution.checkpointQueued = false;
      if (execution.controller !== controller) return;
      await store.putJson(keysOf(execution.executionArn).checkpoint, checkpointOf(execution));
    }).catch(this.tell);
  }

  /** Runs `write` after the execution's earlier writes; the returned promise rejects when it fails. */
  private write(execution: LocalExecution, write: () => Promise<unknown>): Promise<void> {
    const written = execution.writes.then(write).then(() => undefined);
    execution.writes = written.catch(() => undefined);
    return written;
  }

  /**
   * Hands the ended execution to `onStatusChange`, in the shape of the EventBridge event's detail.
   * A failed delivery is tried again with backoff, as EventBridge retries its Lambda target; only
   * after the last try is the error handed to `onError`, and false returned.
   */
  private async report(execution: LocalExecution): Promise<boolean> {
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
        return true;
      } catch (failure) {
        if (attempt === DELIVERY_ATTEMPTS) {
          this.tell(failure);
          return false;
        }
        await sleep(DELIVERY_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
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
    const { store } = this.options;
    if (!store) return Promise.resolve(undefined);
    let loading = this.loading.get(executionArn);
    if (!loading) {
      loading = this.read(store, executionArn).finally(() => this.loading.delete(executionArn));
      this.loading.set(executionArn, loading);
    }
    return loading;
  }

  private async read(store: ArtifactStore, executionArn: string): Promise<Loaded | undefined> {
    const keys = keysOf(executionArn);
    const stored = await readIfStored<StoredExecution>(store, keys.record);
    if (!stored) return undefined;
    const execution: LocalExecution = {
      ...stored,
      controller: new AbortController(),
      done: Promise.resolve(),
      writes: Promise.resolve(),
      checkpointQueued: false,
    };
    this.executions.set(executionArn, execution);
    if (execution.status !== 'RUNNING') return { execution, died: false };
    // The checkpoint of the same redrive is newer than the record; a stale one (the process died
    // between the record and the checkpoint of a redrive) loses to the record's resume point.
    const checkpoint = await readIfStored<StoredCheckpoint>(store, keys.checkpoint);
    if (checkpoint?.resumeAt && checkpoint.redriveCount === execution.redriveCount) {
      execution.resumeAt = checkpoint.resumeAt;
    }
    Object.assign(execution, {
      status: 'FAILED',
      error: PROCESS_DIED,
      cause:
        'the process running the execution ended before it did (killed or crashed); a redrive ' +
        (execution.resumeAt
          ? `resumes it at state "${execution.resumeAt.state}"`
          : 'runs it again from the start'),
    });
    execution.done = this.finish(execution, execution.controller);
    await execution.done;
    return { execution, died: true };
  }

  /** A stored state machine, now in memory too; undefined when there is none. */
  private async loadMachine(stateMachineArn: string): Promise<AslObject | undefined> {
    const { store } = this.options;
    const name = stateMachineArn.startsWith(LOCAL_ARN_BASE)
      ? stateMachineArn.slice(LOCAL_ARN_BASE.length)
      : undefined;
    if (!store || name === undefined) return undefined;
    const definition = await readIfStored<AslObject>(store, artifactKeys.localStateMachine(name));
    if (definition && !this.machines.has(stateMachineArn)) this.machines.set(stateMachineArn, definition);
    return this.machines.get(stateMachineArn);
  }

  private readonly tell = (error: unknown): void => {
    this.options.onError?.(error);
  };
}

/** A stored execution read into memory, and whether it was found left running by a dead process. */
interface Loaded {
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
function afterCheckpoint(
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

function describe(execution: LocalExecution): ExecutionDescription {
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

function storedOf(execution: LocalExecution): StoredExecution {
  const { executionArn, stateMachineArn, name, input, definition, status, redriveCount } = execution;
  const { error, cause, output, resumeAt } = execution;
  return {
    executionArn,
    stateMachineArn,
    name,
    input,
    definition,
    status,
    redriveCount,
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
    ...(output === undefined ? {} : { output }),
    ...(resumeAt === undefined ? {} : { resumeAt }),
  };
}

function checkpointOf(execution: LocalExecution): StoredCheckpoint {
  const { executionArn, redriveCount, resumeAt } = execution;
  return { executionArn, redriveCount, ...(resumeAt === undefined ? {} : { resumeAt }) };
}

/** The store keys of an execution, from its ARN `arn:aws:states:R:A:execution:MACHINE:NAME`. */
function keysOf(executionArn: string): { readonly record: string; readonly checkpoint: string } {
  const [machine = '', name = ''] = executionArn.split(':').slice(-2);
  return {
    record: artifactKeys.localExecution(machine, name),
    checkpoint: artifactKeys.localCheckpoint(machine, name),
  };
}

/** The JSON object at `key`, or undefined when there is none. */
async function readIfStored<T>(store: ArtifactStore, key: string): Promise<T | undefined> {
  try {
    return await store.getJson<T>(key);
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** An error with a Step Functions error name, compared by `name` like the SDK's. */
function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

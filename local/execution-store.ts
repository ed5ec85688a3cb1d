import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import { artifactKeys } from '../functions/shared/artifact-keys.js';
import type { AslObject } from '../pipelines/contract/spec-bundle.js';
import {
  fromStored,
  type Loaded,
  type LocalExecution,
  markDied,
  type StoredCheckpoint,
  type StoredExecution,
} from './local-execution.js';

/**
 * What the local engine keeps in the data directory's bucket, under `local/` keys outside every
 * tenant's prefix: its state machines; each execution's record (definition, input, status, where a
 * redrive resumes), written when it starts (with the first checkpoint), is redriven and ends; and,
 * while it runs, a checkpoint: the last top-level state entered and that state's input, written at
 * most once per top-level Task, Map, Parallel or Wait state entered (entries that come while a
 * write is queued share it; control-flow states are not written) and deleted once its end is
 * reported. Executions of earlier processes are read back when asked for, so ended ones can be
 * described and redriven too. Only one engine uses a store at a time (the data directory's lock).
 */
export class ExecutionStore {
  constructor(private readonly store: ArtifactStore) {}

  async putMachine(name: string, definition: AslObject): Promise<void> {
    await this.store.putJson(artifactKeys.localStateMachine(name), definition);
  }

  getMachine(name: string): Promise<AslObject | undefined> {
    return readIfStored<AslObject>(this.store, artifactKeys.localStateMachine(name));
  }

  /** Whether an execution of that ARN was ever stored (a HEAD, without reading it). */
  async hasExecution(executionArn: string): Promise<boolean> {
    return (await this.store.size(keysOf(executionArn).record)) !== undefined;
  }

  /**
   * A stored execution, rebuilt. One stored as RUNNING was left by a dead process (one process uses
   * a store at a time): it comes back failed with `PROCESS_DIED` (`died`), resuming at its checkpoint.
   */
  async readExecution(executionArn: string): Promise<Loaded | undefined> {
    const keys = keysOf(executionArn);
    const stored = await readIfStored<StoredExecution>(this.store, keys.record);
    if (!stored) return undefined;
    const execution = fromStored(stored);
    if (execution.status !== 'RUNNING') return { execution, died: false };
    // The checkpoint of the same redrive is newer than the record; a stale one (the process died
    // between the record and the checkpoint of a redrive) loses to the record's resume point.
    const checkpoint = await readIfStored<StoredCheckpoint>(this.store, keys.checkpoint);
    if (checkpoint?.resumeAt && checkpoint.redriveCount === execution.redriveCount) {
      execution.resumeAt = checkpoint.resumeAt;
    }
    markDied(execution);
    return { execution, died: true };
  }

  /** The checkpoints stored, each by its key: the executions some process was running. */
  async listCheckpoints(): Promise<{ readonly key: string; readonly checkpoint?: StoredCheckpoint }[]> {
    const keys = await this.store.list(artifactKeys.localCheckpoints());
    return Promise.all(
      keys.map(async (key) => {
        const checkpoint = await readIfStored<StoredCheckpoint>(this.store, key);
        return checkpoint === undefined ? { key } : { key, checkpoint };
      }),
    );
  }

  async putRecord(execution: LocalExecution): Promise<void> {
    await this.store.putJson(keysOf(execution.executionArn).record, storedOf(execution));
  }

  async putCheckpoint(execution: LocalExecution): Promise<void> {
    await this.store.putJson(keysOf(execution.executionArn).checkpoint, checkpointOf(execution));
  }

  /** The record and the first checkpoint of a started or redriven execution, written together. */
  async putStart(execution: LocalExecution): Promise<void> {
    await Promise.all([this.putRecord(execution), this.putCheckpoint(execution)]);
  }

  async deleteKey(key: string): Promise<void> {
    await this.store.delete([key]);
  }

  async deleteCheckpoint(executionArn: string): Promise<void> {
    await this.deleteKey(keysOf(executionArn).checkpoint);
  }
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

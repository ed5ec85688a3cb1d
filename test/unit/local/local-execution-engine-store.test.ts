import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import type { ArtifactStore } from '../../../functions/ports/artifact-store.js';
import { artifactKeys } from '../../../functions/shared/artifact-keys.js';
import { MemoryArtifactStore } from '../../../functions/stores/memory-artifact-store.js';
import { LocalExecutionEngine } from '../../../local/local-execution-engine.js';
import { stepEngine, THREE_TASK_CHAIN } from '../../support/step-engine.js';

/** The three Tasks after a Pass, which the engine does not checkpoint. */
const CHAIN = {
  StartAt: 'Init',
  States: { Init: { Type: 'Pass', Next: 'One' }, ...THREE_TASK_CHAIN.States },
};

/** A store over `inner` whose writes take a few milliseconds, logging each one once it is done. */
function slowStore(inner: ArtifactStore, log: string[]): ArtifactStore {
  return Object.assign(Object.create(inner) as ArtifactStore, {
    async putJson(key: string, value: unknown) {
      await sleep(5);
      const ref = await inner.putJson(key, value);
      const state = (value as { resumeAt?: { state: string } }).resumeAt?.state;
      log.push(`put ${key.split('/')[1]}${state ? ` ${state}` : ''}`);
      return ref;
    },
    async delete(keys: readonly string[]) {
      await inner.delete(keys);
      log.push(`delete ${keys.map((key) => key.split('/')[1]).join()}`);
    },
  });
}

describe('LocalExecutionEngine with a store', () => {
  it('lets whenIdle wait for an execution whose start is still being stored, without starving it', async () => {
    // Prepare: a start whose first write is on I/O when whenIdle is asked
    const store = slowStore(new MemoryArtifactStore(), []);
    const { engine, changes } = engineOver(store, async (step) => step);
    const machine = await engine.deployStateMachine('m', CHAIN);
    const put = store.putJson.bind(store);
    let writing = () => {};
    const firstWrite = new Promise<void>((resolve) => {
      writing = resolve;
    });
    store.putJson = (key, value) => {
      writing();
      return put(key, value);
    };
    const started = engine.startExecution(machine, 'run-1', {});
    await firstWrite;

    // Act: a whenIdle that spun on a settled promise would never let the write finish
    const idle = engine.whenIdle();
    const outcome = await Promise.race([idle.then(() => 'idle'), sleep(5_000).then(() => 'stuck')]);

    // Assess
    await started;
    expect(outcome).toBe('idle');
    expect(changes.map((change) => change.status)).toEqual(['SUCCEEDED']);
  });

  it("stores the checkpoint of each Task's state before the Task is called, one write per Task at most", async () => {
    // Prepare
    const log: string[] = [];
    const { engine, changes } = engineOver(
      slowStore(new MemoryArtifactStore(), log),
      async (step) => step,
      log,
    );
    const machine = await engine.deployStateMachine('m', CHAIN);

    // Act
    await engine.startExecution(machine, 'run-1', {});
    await engine.whenIdle();

    // Assess: record and first checkpoint before anything runs; a checkpoint naming each Task's
    // state before its call; the record with the outcome, then the checkpoint gone
    const calls = log.filter((line) => line.startsWith('call'));
    expect(calls).toEqual(['call one', 'call two', 'call three']);
    for (const [state, step] of [
      ['One', 'one'],
      ['Two', 'two'],
      ['Three', 'three'],
    ]) {
      expect(log.indexOf(`put running ${state}`)).toBeGreaterThan(-1);
      expect(log.indexOf(`put running ${state}`)).toBeLessThan(log.indexOf(`call ${step}`));
    }
    const writes = log.filter((line) => !line.startsWith('call'));
    expect(writes[0]).toBe('put state-machines');
    expect(writes.slice(1, 3).sort()).toEqual(['put executions', 'put running']);
    expect(writes.slice(-2)).toEqual(['put executions Three', 'delete running']);
    // The first checkpoint, then at most one per Task entered; none for the Pass state
    expect(writes.filter((line) => line.startsWith('put running')).length).toBeLessThanOrEqual(4);
    expect(writes).not.toContain('put running Init');
    expect(changes.map((change) => change.status)).toEqual(['SUCCEEDED']);
  });

  it('redrives, in the next engine over the store, an execution stopped at shutdown, from where it stopped', async () => {
    // Prepare: the first engine is stopped (as `elexirion dev` is by Ctrl+C) during Two
    const store = new MemoryArtifactStore();
    const first = engineOver(store, (step) =>
      step === 'one' ? Promise.resolve('one done') : new Promise(() => {}),
    );
    const machine = await first.engine.deployStateMachine('m', CHAIN);
    const arn = await first.engine.startExecution(machine, 'run-1', {});
    await vi.waitFor(() => expect(first.log).toEqual(['call one', 'call two']));
    await first.engine.stopAll({ error: 'Dev.Stopped', cause: 'shutting down' });

    // Act
    const second = engineOver(store, async (step) => `${step} again`);
    const reconciled = await second.engine.reconcile();
    const described = await second.engine.describeExecution(arn);
    await second.engine.redriveExecution(arn);
    await second.engine.whenIdle();

    // Assess
    expect(first.changes.map((change) => change.status)).toEqual(['ABORTED']);
    expect(reconciled).toEqual([]);
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Dev.Stopped' });
    expect(second.log).toEqual(['call two', 'call three']);
    expect(second.changes.map((change) => [change.status, change.redriveCount])).toEqual([['SUCCEEDED', 1]]);
    expect(await store.list(artifactKeys.localCheckpoints())).toEqual([]);
  });

  it('reports, after a restart, an end the dead process had stored but not reported', async () => {
    // Prepare: the first engine's status change never gets through (its process dies first)
    const store = new MemoryArtifactStore();
    const first = new LocalExecutionEngine({
      taskHandlers: { '${Step}': async () => 'done' },
      retryDelay: 'none',
      store,
      onStatusChange: () => new Promise(() => {}),
    });
    const machine = await first.deployStateMachine('m', CHAIN);
    const arn = await first.startExecution(machine, 'run-1', {});
    await vi.waitFor(async () =>
      expect(await first.describeExecution(arn)).toMatchObject({ status: 'SUCCEEDED' }),
    );

    // Act
    const second = engineOver(store, async () => 'unused');
    const reconciled = await second.engine.reconcile();

    // Assess
    expect(reconciled).toEqual([expect.objectContaining({ executionArn: arn, status: 'SUCCEEDED' })]);
    expect(second.changes).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', output: '{"one":"done","two":"done","three":"done"}' }),
    ]);
    expect(await store.list(artifactKeys.localCheckpoints())).toEqual([]);
  });
});

/** An engine over `store` whose Task answers with `answer(step)`, logging each call into `log`. */
function engineOver(store: ArtifactStore, answer: (step: string) => Promise<unknown>, log: string[] = []) {
  const engine = stepEngine(
    async (step) => {
      log.push(`call ${step}`);
      return answer(step);
    },
    { store },
  );
  return { ...engine, log };
}

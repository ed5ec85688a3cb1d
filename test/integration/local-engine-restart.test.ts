import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { createLocalStores } from '../../local/local-deps.js';
import { scratchDir } from '../support/cli-harness.js';
import { THREE_TASK_CHAIN as CHAIN, stepEngine } from '../support/step-engine.js';

// A restart of `elexirion dev` is a new process over the same data directory: here a second local
// stack over the same directory, with a second engine. The first engine is simply abandoned in the
// middle of a Task that never returns, as a process killed with SIGKILL is.

const stacks: LocalStack[] = [];

afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.stop();
});

async function stackOver(dataDir: string): Promise<LocalStack> {
  const stack = await startLocalStack({ dataDir });
  stacks.push(stack);
  return stack;
}

function failing(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('LocalExecutionEngine across a restart', () => {
  it('fails an execution its dead process left running, and its redrive resumes at the state it had entered', async () => {
    // Prepare: the first process runs One and is killed while Two's Task is in flight
    const dataDir = join(await scratchDir(), 'data');
    const first = engineOver(await stackOver(dataDir), async (step) =>
      step === 'one' ? 'one done' : new Promise(() => {}),
    );
    const machine = await first.engine.deployStateMachine('m', CHAIN);
    const arn = await first.engine.startExecution(machine, 'run-1', { x: 1 });
    await vi.waitFor(() => expect(first.calls).toEqual(['one', 'two']));
    await stacks.splice(0)[0]?.stop();

    // Act: the next process over the same data directory
    const second = engineOver(await stackOver(dataDir), async (step) => `${step} again`);
    const reconciled = await second.engine.reconcile();
    const described = await second.engine.describeExecution(arn);
    await second.engine.redriveExecution(arn);
    await second.engine.whenIdle();

    // Assess: FAILED and reported as such; the redrive ran Two and Three only, with One's result
    expect(reconciled).toEqual([
      expect.objectContaining({ executionArn: arn, status: 'FAILED', error: 'Local.ProcessDied' }),
    ]);
    expect(described).toMatchObject({
      status: 'FAILED',
      error: 'Local.ProcessDied',
      cause: expect.stringContaining('"Two"'),
      input: { x: 1 },
    });
    expect(second.calls).toEqual(['two', 'three']);
    expect(second.changes.map((change) => [change.status, change.redriveCount, change.error])).toEqual([
      ['FAILED', 0, 'Local.ProcessDied'],
      ['SUCCEEDED', 1, undefined],
    ]);
    expect(second.changes[0]).toMatchObject({ executionArn: arn, name: 'run-1', input: '{"x":1}' });
    expect(JSON.parse(String(second.changes[1]?.output))).toEqual({
      x: 1,
      one: 'one done',
      two: 'two again',
      three: 'three again',
    });
    expect(second.errors).toEqual([]);

    // A third process finds nothing left to reconcile
    await stacks.splice(0)[0]?.stop();
    const third = engineOver(await stackOver(dataDir), async () => 'unused');
    expect(await third.engine.reconcile()).toEqual([]);
    expect(await third.engine.describeExecution(arn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  });

  it('redrives, after a restart, an execution that failed before it, from the state that failed', async () => {
    // Prepare
    const dataDir = join(await scratchDir(), 'data');
    const first = engineOver(await stackOver(dataDir), async (step) => {
      if (step === 'two') throw failing('Provider.AuthFailed', 'bad key');
      return `${step} done`;
    });
    const machine = await first.engine.deployStateMachine('m', CHAIN);
    const arn = await first.engine.startExecution(machine, 'run-1', { x: 1 });
    await first.engine.whenIdle();
    await stacks.splice(0)[0]?.stop();

    // Act
    const second = engineOver(await stackOver(dataDir), async (step) => `${step} done`);
    const reconciled = await second.engine.reconcile();
    await second.engine.redriveExecution(arn);
    await second.engine.whenIdle();

    // Assess: nothing was left running; the failed execution resumed at Two
    expect(reconciled).toEqual([]);
    expect(first.changes.map((change) => change.status)).toEqual(['FAILED']);
    expect(second.calls).toEqual(['two', 'three']);
    expect(second.changes.map((change) => [change.status, change.redriveCount])).toEqual([['SUCCEEDED', 1]]);
  });

  it('starts executions of a state machine deployed before the restart, and keeps execution names taken', async () => {
    // Prepare
    const dataDir = join(await scratchDir(), 'data');
    const first = engineOver(await stackOver(dataDir), async (step) => `${step} done`);
    const machine = await first.engine.deployStateMachine('m', CHAIN);
    await first.engine.startExecution(machine, 'run-1', {});
    await first.engine.whenIdle();
    await stacks.splice(0)[0]?.stop();

    // Act
    const second = engineOver(await stackOver(dataDir), async (step) => `${step} done`);
    await second.engine.startExecution(machine, 'run-2', {});
    const again = await second.engine.startExecution(machine, 'run-1', {}).catch((error: unknown) => error);
    await second.engine.whenIdle();

    // Assess
    expect(again).toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(second.changes.map((change) => [change.name, change.status])).toEqual([['run-2', 'SUCCEEDED']]);
  });
});

/** An engine over the stack's S3 bucket whose Task answers with `answer(step)`. */
function engineOver(stack: LocalStack, answer: (step: string) => Promise<unknown>) {
  return stepEngine(answer, { store: createLocalStores(stack).artifacts });
}

import { describe, expect, it, vi } from 'vitest';
import type { ExecutionStatusChange } from '../../../functions/core/execution-status.js';
import { LocalExecutionEngine } from '../../../local/local-execution-engine.js';

/** Three Tasks in a row, each recording which step ran. */
const CHAIN = {
  StartAt: 'One',
  States: {
    One: { Type: 'Task', Resource: '${Step}', Parameters: { step: 'one' }, ResultPath: '$.one', Next: 'Two' },
    Two: {
      Type: 'Task',
      Resource: '${Step}',
      Parameters: { step: 'two' },
      ResultPath: '$.two',
      Next: 'Three',
    },
    Three: {
      Type: 'Task',
      Resource: '${Step}',
      Parameters: { step: 'three' },
      ResultPath: '$.three',
      End: true,
    },
  },
};

function failing(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** An engine whose Task answers with `answer(step)`, recording every status change. */
function engineWith(answer: (step: string) => Promise<unknown>) {
  const changes: ExecutionStatusChange[] = [];
  const calls: string[] = [];
  const engine = new LocalExecutionEngine({
    taskHandlers: {
      '${Step}': async (input) => {
        const { step } = input as { step: string };
        calls.push(step);
        return answer(step);
      },
    },
    retryDelay: 'none',
    onStatusChange: async (change) => {
      changes.push(change);
    },
  });
  return { engine, changes, calls };
}

describe('LocalExecutionEngine', () => {
  it('runs an execution in the background and reports its end as a status change', async () => {
    // Prepare
    const { engine, changes } = engineWith(async (step) => `${step} done`);
    const machine = await engine.deployStateMachine('m', CHAIN);

    // Act
    const arn = await engine.startExecution(machine, 'run-1', { x: 1 });
    await engine.whenIdle();

    // Assess
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:execution:m:run-1');
    expect(changes).toEqual([
      {
        executionArn: arn,
        stateMachineArn: machine,
        name: 'run-1',
        status: 'SUCCEEDED',
        input: '{"x":1}',
        // The final state, as EventBridge's status-change detail carries it.
        output: '{"x":1,"one":"one done","two":"two done","three":"three done"}',
        redriveCount: 0,
      },
    ]);
    expect(await engine.describeExecution(arn)).toMatchObject({ status: 'SUCCEEDED', input: { x: 1 } });
  });

  it('treats starting a running execution again with the same input as the same execution', async () => {
    // Prepare
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { engine, calls } = engineWith(async () => gate);
    const machine = await engine.deployStateMachine('m', CHAIN);
    const first = await engine.startExecution(machine, 'run-1', { x: 1 });

    // Act
    const again = await engine.startExecution(machine, 'run-1', { x: 1 });
    const otherInput = engine.startExecution(machine, 'run-1', { x: 2 });
    release();
    await engine.whenIdle();

    // Assess
    expect(again).toBe(first);
    await expect(otherInput).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(calls).toEqual(['one', 'two', 'three']);
  });

  it('stops a running execution: ABORTED at once, with the reason as error and cause', async () => {
    // Prepare
    const { engine, changes, calls } = engineWith(() => new Promise(() => {}));
    const machine = await engine.deployStateMachine('m', CHAIN);
    const arn = await engine.startExecution(machine, 'run-1', {});
    await vi.waitFor(() => expect(calls).toEqual(['one']));

    // Act
    await engine.stopExecution(arn, { error: 'Run.Cancelled', cause: 'by a test' });
    const described = await engine.describeExecution(arn);
    await engine.whenIdle();

    // Assess
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Run.Cancelled', cause: 'by a test' });
    expect(changes).toEqual([expect.objectContaining({ status: 'ABORTED', error: 'Run.Cancelled' })]);
  });

  it('redrives a failed execution from the state that failed, with the input it received', async () => {
    // Prepare
    let failTwo = true;
    const { engine, changes, calls } = engineWith(async (step) => {
      if (step === 'two' && failTwo) throw failing('Provider.AuthFailed', 'bad key');
      return `${step} done`;
    });
    const machine = await engine.deployStateMachine('m', CHAIN);
    const arn = await engine.startExecution(machine, 'run-1', { x: 1 });
    await engine.whenIdle();
    failTwo = false;

    // Act
    await engine.redriveExecution(arn);
    await engine.whenIdle();

    // Assess
    expect(calls).toEqual(['one', 'two', 'two', 'three']);
    expect(changes.map((change) => [change.status, change.redriveCount, change.error])).toEqual([
      ['FAILED', 0, 'Provider.AuthFailed'],
      ['SUCCEEDED', 1, undefined],
    ]);
    expect(changes[1]?.input).toBe('{"x":1}');
  });

  it("uses Step Functions' error names for what it cannot do", async () => {
    // Prepare
    const { engine } = engineWith(async () => 'ok');
    const machine = await engine.deployStateMachine('m', CHAIN);
    const arn = await engine.startExecution(machine, 'run-1', {});
    await engine.whenIdle();

    // Act + Assess
    await expect(engine.redriveExecution(arn)).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
    await expect(engine.describeExecution(`${arn}-x`)).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    await expect(engine.startExecution(`${machine}-x`, 'r', {})).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });

  it('stops every running execution when asked to stop all', async () => {
    // Prepare
    const { engine, changes, calls } = engineWith(() => new Promise(() => {}));
    const machine = await engine.deployStateMachine('m', CHAIN);
    await engine.startExecution(machine, 'run-1', {});
    await engine.startExecution(machine, 'run-2', {});
    await vi.waitFor(() => expect(calls).toHaveLength(2));

    // Act
    await engine.stopAll({ error: 'Dev.Stopped', cause: 'shutting down' });

    // Assess
    expect(changes.map((change) => [change.name, change.status])).toEqual([
      ['run-1', 'ABORTED'],
      ['run-2', 'ABORTED'],
    ]);
  });
});

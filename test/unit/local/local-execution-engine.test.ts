import { describe, expect, it, vi } from 'vitest';
import { shippedMachinesOn } from '../../../local/shipped-machines.js';
import { THREE_TASK_CHAIN as CHAIN, stepEngine as engineWith } from '../../support/step-engine.js';

function failing(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
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
    const otherInput = engine.startExecution(machine, 'run-1', { x: 2 }).catch((error: unknown) => error);
    release();
    await engine.whenIdle();

    // Assess
    expect(again).toBe(first);
    expect(await otherInput).toMatchObject({ name: 'ExecutionAlreadyExists' });
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

  it('changes a machine only for the caller that names it as the one it replaces', async () => {
    // Prepare
    const { engine, calls } = engineWith(async () => 'ok');
    const other = {
      StartAt: 'Other',
      States: { Other: { ...CHAIN.States.Three, Parameters: { step: 'other' } } },
    };
    const machine = await engine.deployStateMachine('m', CHAIN);

    // Act
    const again = await engine.deployStateMachine('m', CHAIN);
    const overwriting = engine.deployStateMachine('m', other);
    await expect(overwriting).rejects.toMatchObject({ name: 'StateMachineAlreadyExists' });
    await engine.startExecution(machine, 'run-1', {});
    await engine.whenIdle();
    const replaced = await engine.deployStateMachine('m', other, machine);
    await engine.startExecution(machine, 'run-2', {});
    await engine.whenIdle();

    // Assess: the same machine throughout, running CHAIN until its creator replaced it
    expect([again, replaced]).toEqual([machine, machine]);
    expect(calls).toEqual(['one', 'two', 'three', 'other']);
  });

  it('lets the dev server replace the machines of its file pipelines', async () => {
    // Prepare
    const { engine } = engineWith(async () => 'ok');
    const deploy = shippedMachinesOn(engine);

    // Act
    const first = await deploy('acme', 'chain', CHAIN, []);
    const changed = await deploy('acme', 'chain', { ...CHAIN, Comment: 'edited' }, []);

    // Assess
    expect(first).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:elexirion-acme_stack_chain');
    expect(changed).toBe(first);
  });

  it("deploys a nested pipeline's children as machines of their own and runs them in the parent", async () => {
    // Prepare: outer starts inner (.sync), inner starts leaf, each by its placeholder as compiled
    const sync = (placeholder: string) => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { StateMachineArn: placeholder, Input: {} },
      ResultPath: null,
    });
    const { Next: _one, ...one } = CHAIN.States.One;
    const { Next: _two, ...two } = CHAIN.States.Two;
    const outer = {
      StartAt: 'Inner',
      States: { Inner: { ...sync('${ChildStateMachine_inner_1}'), End: true } },
    };
    const inner = {
      StartAt: 'Leaf',
      States: {
        Leaf: { ...sync('${ChildStateMachine_inner_leaf_2}'), Next: 'Two' },
        Two: { ...two, End: true },
      },
    };
    const leaf = { StartAt: 'One', States: { One: { ...one, End: true } } };
    const { engine, changes, calls } = engineWith(async (step) => `${step} done`);

    // Act
    const arn = await shippedMachinesOn(engine)('acme', 'outer', outer, [
      { placeholder: '${ChildStateMachine_inner_1}', scope: 'inner', definition: inner },
      { placeholder: '${ChildStateMachine_inner_leaf_2}', scope: 'inner.leaf', definition: leaf },
    ]);
    await engine.startExecution(arn, 'run-1', {});
    await engine.whenIdle();

    // Assess
    expect(changes.map((change) => [change.status, change.error, change.cause])).toEqual([
      ['SUCCEEDED', undefined, undefined],
    ]);
    expect(calls).toEqual(['one', 'two']);
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

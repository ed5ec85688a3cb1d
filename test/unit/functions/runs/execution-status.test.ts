import { describe, expect, it } from 'vitest';
import { MemoryEventPublisher } from '../../../../functions/events/memory-publisher.js';
import type { RunRecord } from '../../../../functions/ports/runs.js';
import {
  type ExecutionStatusChange,
  handleExecutionStatusChange,
} from '../../../../functions/runs/execution-status.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import { RecordingEngine } from '../../../support/recording-engine.js';

const IDENTITY = {
  tenantId: 'acme',
  runId: 'r-1',
  pipeline: 'chain',
  bundleKey: 'tenants/acme/specs/chain/h.json',
};
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:elexirion-acme-chain';

function change(
  status: ExecutionStatusChange['status'],
  extra: Partial<ExecutionStatusChange> = {},
): ExecutionStatusChange {
  return {
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:elexirion-acme-chain:r-1',
    stateMachineArn: MACHINE,
    name: 'r-1',
    status,
    input: JSON.stringify({ run: IDENTITY, inputs: {} }),
    ...extra,
  };
}

async function depsWithRun(run: Partial<RunRecord> = {}) {
  const runs = new MemoryRunStore();
  await runs.putRun({
    ...IDENTITY,
    status: 'RUNNING',
    startedAt: '2026-11-02T10:00:00.000Z',
    inputs: {},
    stateMachine: MACHINE,
    ...run,
  });
  const events = new MemoryEventPublisher();
  const engine = new RecordingEngine();
  return {
    runs,
    events,
    engine,
    deps: {
      runs,
      events,
      engine,
      artifacts: new MemoryArtifactStore(),
      now: () => new Date('2026-11-02T10:01:00.000Z'),
    },
  };
}

describe('handleExecutionStatusChange', () => {
  it('closes the run SUCCEEDED and publishes PipelineRunCompleted once, however often the event comes', async () => {
    // Prepare
    const { deps, runs, events } = await depsWithRun();

    // Act
    const first = await handleExecutionStatusChange(change('SUCCEEDED'), deps);
    await handleExecutionStatusChange(change('SUCCEEDED'), deps);

    // Assess
    expect(first).toMatchObject({ status: 'SUCCEEDED', finishedAt: '2026-11-02T10:01:00.000Z' });
    expect(await runs.getRun('acme', 'r-1')).toEqual(first);
    expect(events.events).toEqual([
      {
        detailType: 'PipelineRunCompleted',
        detail: expect.objectContaining({ runId: 'r-1', status: 'SUCCEEDED' }),
      },
    ]);
  });

  it.each([
    ['FAILED', { error: 'States.Runtime', cause: 'broken' }, { name: 'States.Runtime', message: 'broken' }],
    ['TIMED_OUT', {}, { name: 'States.Timeout', message: 'the execution ran past its TimeoutSeconds' }],
    ['ABORTED', { error: 'Run.Cancelled', cause: 'by hand' }, { name: 'Run.Cancelled', message: 'by hand' }],
  ] as const)(
    'closes the run %s with its error, publishing PipelineRunFailed',
    async (status, extra, error) => {
      // Prepare
      const { deps, events } = await depsWithRun();

      // Act
      const run = await handleExecutionStatusChange(change(status, extra), deps);

      // Assess
      expect(run).toMatchObject({ status, error });
      expect(events.events.map((event) => event.detailType)).toEqual(['PipelineRunFailed']);
    },
  );

  it('ignores a late event of an execution the run was redriven from', async () => {
    // Prepare
    const { deps, runs, events } = await depsWithRun({ redriveCount: 1 });

    // Act
    await handleExecutionStatusChange(change('FAILED', { redriveCount: 0, error: 'X', cause: 'old' }), deps);

    // Assess
    expect((await runs.getRun('acme', 'r-1'))?.status).toBe('RUNNING');
    expect(events.events).toEqual([]);
  });

  it('reads the input from the execution when the event left it out', async () => {
    // Prepare
    const { deps, engine } = await depsWithRun();
    await engine.startExecution(MACHINE, 'r-1', { run: IDENTITY, inputs: {} });

    // Act
    const run = await handleExecutionStatusChange(change('SUCCEEDED', { input: null }), deps);

    // Assess
    expect(run?.status).toBe('SUCCEEDED');
  });

  it('ignores statuses that are not an end, and executions that are not runs', async () => {
    // Prepare
    const { deps, events } = await depsWithRun();

    // Act
    const running = await handleExecutionStatusChange(change('RUNNING'), deps);
    const foreign = await handleExecutionStatusChange(change('SUCCEEDED', { input: '{"other":true}' }), deps);

    // Assess
    expect([running, foreign]).toEqual([undefined, undefined]);
    expect(events.events).toEqual([]);
  });
});

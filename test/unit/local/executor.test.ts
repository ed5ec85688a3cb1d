import { describe, expect, it, vi } from 'vitest';
import type { ExecutionEvent } from '../../../local/execution-options.js';
import { executeStateMachine } from '../../../local/executor.js';
import { PAYLOAD_LIMIT_BYTES } from '../../../local/payload-limit.js';

/** An error as a provider adapter throws it: only the `name` matters to Step Functions. */
function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A one-Task machine whose Task retries rate limits three times. */
const retryingTask = {
  StartAt: 'Draft',
  States: {
    Draft: {
      Type: 'Task',
      Resource: '${StepRunnerArn}',
      Retry: [{ ErrorEquals: ['Provider.RateLimited'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
      End: true,
    },
  },
};

const bigText = 'x'.repeat(PAYLOAD_LIMIT_BYTES);

describe('executeStateMachine', () => {
  it('serves each Task, nested ones included, with the handler its Resource names', async () => {
    // Prepare
    const definition = {
      StartAt: 'Plan',
      States: {
        Plan: {
          Type: 'Task',
          Resource: '${StepRunnerArn}',
          Parameters: { stepId: 'plan', 'execution.$': '$$.Execution.Name' },
          ResultPath: '$.plan',
          Next: 'Fan',
        },
        Fan: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'Each',
            States: { Each: { Type: 'Task', Resource: '${OtherArn}', End: true } },
          },
          ResultPath: '$.each',
          Next: 'Both',
        },
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: '${OtherArn}', End: true } } },
          ],
          ResultPath: '$.both',
          End: true,
        },
      },
    };
    const stepRunner = vi.fn(async (input: unknown) => ({ ref: input }));
    const other = vi.fn(async (input: unknown) => ({ seen: input }));

    // Act
    const result = await executeStateMachine(
      definition,
      { items: [1, 2] },
      { taskHandlers: { '${StepRunnerArn}': stepRunner, '${OtherArn}': other }, executionName: 'run-1' },
    );

    // Assess
    expect(stepRunner).toHaveBeenCalledExactlyOnceWith({ stepId: 'plan', execution: 'run-1' });
    expect(other).toHaveBeenCalledTimes(3);
    expect(result).toEqual({
      status: 'SUCCEEDED',
      output: {
        items: [1, 2],
        plan: { ref: { stepId: 'plan', execution: 'run-1' } },
        each: [{ seen: 1 }, { seen: 2 }],
        both: [{ seen: expect.objectContaining({ items: [1, 2] }) }],
      },
    });
  });

  it('retries a handler error by its name until the handler succeeds', async () => {
    // Prepare
    const handler = vi
      .fn<(input: unknown) => Promise<unknown>>()
      .mockRejectedValueOnce(namedError('Provider.RateLimited', 'slow down'))
      .mockRejectedValueOnce(namedError('Provider.RateLimited', 'slow down'))
      .mockResolvedValue({ ok: true });

    // Act
    const result = await executeStateMachine(
      retryingTask,
      {},
      { taskHandlers: { '${StepRunnerArn}': handler }, executionName: 'run-1', retryDelay: 'none' },
    );

    // Assess
    expect(handler).toHaveBeenCalledTimes(3);
    expect(result).toEqual({ status: 'SUCCEEDED', output: { ok: true } });
  });

  it('fails the execution with the name and message of an error no Retry matches', async () => {
    // Prepare
    const handler = vi.fn(async () => {
      throw namedError('Provider.AuthFailed', 'the API key was rejected');
    });

    // Act
    const result = await executeStateMachine(
      retryingTask,
      {},
      { taskHandlers: { '${StepRunnerArn}': handler }, executionName: 'run-1', retryDelay: 'none' },
    );

    // Assess
    expect(handler).toHaveBeenCalledOnce();
    expect(result).toEqual({
      status: 'FAILED',
      error: 'Provider.AuthFailed',
      cause: 'the API key was rejected',
    });
  });

  it('reports the Error and Cause of a Fail state', async () => {
    // Prepare
    const definition = {
      StartAt: 'Stop',
      States: { Stop: { Type: 'Fail', Error: 'Budget.Exceeded', Cause: 'spent 2 USD of 1' } },
    };

    // Act
    const result = await executeStateMachine(definition, {}, { taskHandlers: {}, executionName: 'run-1' });

    // Assess
    expect(result).toEqual({ status: 'FAILED', error: 'Budget.Exceeded', cause: 'spent 2 USD of 1' });
  });

  it('rejects before running when a Task has no handler, naming the state', async () => {
    // Prepare
    const handler = vi.fn(async () => ({}));
    const definition = {
      StartAt: 'Plan',
      States: {
        Plan: { Type: 'Task', Resource: '${StepRunnerArn}', Next: 'Judge' },
        Judge: { Type: 'Task', Resource: '${JudgeArn}', End: true },
      },
    };

    // Act
    const run = executeStateMachine(
      definition,
      {},
      { taskHandlers: { '${StepRunnerArn}': handler }, executionName: 'r' },
    );

    // Assess
    await expect(run).rejects.toThrow(/Task state "Judge" has Resource \$\{JudgeArn\}/);
    expect(handler).not.toHaveBeenCalled();
  });

  it.each([
    ['QueryLanguage', { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }],
    ['Output', { StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% 1 %}', End: true } } }],
    [
      'Assign',
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Assign: { x: 1 }, End: true } } },
            End: true,
          },
        },
      },
    ],
    [
      'Arguments',
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'T' }], Default: 'T' },
          T: { Type: 'Task', Resource: '${StepRunnerArn}', Arguments: {}, End: true },
        },
      },
    ],
  ])('rejects a definition using %s', async (field, definition) => {
    // Act
    const run = executeStateMachine(
      definition,
      {},
      { taskHandlers: { '${StepRunnerArn}': vi.fn() }, executionName: 'r' },
    );

    // Assess
    await expect(run).rejects.toThrow(new RegExp(`uses ${field}: JSONata and Variables are not supported`));
  });

  it('rejects an invalid definition', async () => {
    // Prepare
    const definition = { StartAt: 'Missing', States: { P: { Type: 'Pass', End: true } } };

    // Act
    const run = executeStateMachine(definition, {}, { taskHandlers: {}, executionName: 'r' });

    // Assess
    await expect(run).rejects.toThrow(/definition is invalid/);
  });

  it('fails with States.DataLimitExceeded, unretried, when a handler returns more than 256 KiB', async () => {
    // Prepare
    const definition = {
      StartAt: 'Draft',
      States: {
        Draft: {
          Type: 'Task',
          Resource: '${StepRunnerArn}',
          Retry: [{ ErrorEquals: ['States.ALL'] }],
          End: true,
        },
      },
    };
    const handler = vi.fn(async () => ({ text: bigText }));

    // Act
    const result = await executeStateMachine(
      definition,
      {},
      { taskHandlers: { '${StepRunnerArn}': handler }, executionName: 'r', retryDelay: 'none' },
    );

    // Assess
    expect(handler).toHaveBeenCalledOnce();
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: expect.stringMatching(/^The result of task state "Draft" is \d+ bytes/),
    });
  });

  it('fails with States.DataLimitExceeded when any state outputs more than 256 KiB', async () => {
    // Prepare: each branch is under the limit, the Parallel's combined output is not.
    const half = (name: string) => ({
      StartAt: name,
      States: { [name]: { Type: 'Task', Resource: '${StepRunnerArn}', End: true } },
    });
    const definition = {
      StartAt: 'Both',
      States: { Both: { Type: 'Parallel', Branches: [half('Left'), half('Right')], End: true } },
    };
    const handler = async () => ({ text: bigText.slice(PAYLOAD_LIMIT_BYTES / 2) });

    // Act
    const result = await executeStateMachine(
      definition,
      {},
      { taskHandlers: { '${StepRunnerArn}': handler }, executionName: 'r' },
    );

    // Assess
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: expect.stringMatching(/^The output of state "Both" is \d+ bytes/),
    });
  });

  it('rejects an execution input over 256 KiB', async () => {
    // Act
    const run = executeStateMachine(
      retryingTask,
      { text: bigText },
      { taskHandlers: { '${StepRunnerArn}': vi.fn() }, executionName: 'r' },
    );

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'States.DataLimitExceeded' });
  });

  it('forwards the event log, retries and failures included', async () => {
    // Prepare
    const handler = vi
      .fn<(input: unknown) => Promise<unknown>>()
      .mockRejectedValueOnce(namedError('Provider.RateLimited', 'slow down'))
      .mockResolvedValue('done');
    const events: ExecutionEvent[] = [];

    // Act
    await executeStateMachine(
      retryingTask,
      {},
      {
        taskHandlers: { '${StepRunnerArn}': handler },
        executionName: 'run-1',
        retryDelay: 'none',
        onEvent: (event) => events.push(event),
      },
    );

    // Assess
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'StateEntered',
      'StateFailed',
      'StateRetried',
      'StateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[2]).toMatchObject({ state: { name: 'Draft' }, Error: 'Provider.RateLimited' });
  });

  it('stops when aborted, rejecting with the signal reason', async () => {
    // Prepare
    const controller = new AbortController();
    const handler = () => {
      controller.abort(new Error('user cancelled'));
      return new Promise<never>(() => {});
    };

    // Act
    const run = executeStateMachine(
      retryingTask,
      {},
      {
        taskHandlers: { '${StepRunnerArn}': handler },
        executionName: 'r',
        abortSignal: controller.signal,
      },
    );

    // Assess
    await expect(run).rejects.toThrow('user cancelled');
  });
});

import type { ExecutionStatusChange } from '../../functions/runs/execution-status.js';
import {
  LocalExecutionEngine,
  type LocalExecutionEngineOptions,
} from '../../local/local-execution-engine.js';

/**
 * A definition of three Tasks in a row (`One`, `Two`, `Three`), each served by the `${Step}` handler
 * with its step's name as input and its answer kept under that name: what the local engine's tests
 * run to see which steps ran, in which order, and where a redrive resumed.
 */
export const THREE_TASK_CHAIN = {
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

/**
 * A local engine whose `${Step}` Task answers with `answer(step)`, recording the steps called, every
 * status change and the errors it reports; `options` adds a store or changes a default.
 */
export function stepEngine(
  answer: (step: string) => Promise<unknown>,
  options: Partial<LocalExecutionEngineOptions> = {},
) {
  const changes: ExecutionStatusChange[] = [];
  const calls: string[] = [];
  const errors: unknown[] = [];
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
    onError: (error) => errors.push(error),
    ...options,
  });
  return { engine, changes, calls, errors };
}

import type { RunRecord } from '../functions/core/ports/run-store.js';
import {
  type ExecutionInput,
  type ExecutionOutcome,
  finishRun,
  startRun,
} from '../functions/core/run-lifecycle.js';
import type { StepRunnerDeps } from '../functions/core/step-runner-deps.js';
import { handleStepRunnerEvent } from '../functions/core/step-runner-handler.js';
import {
  type AslObject,
  type ChildStateMachine,
  Placeholder,
  type SpecBundle,
} from '../pipelines/contract/spec-bundle.js';
import type { StepRef } from '../pipelines/contract/step-event.js';
import type { ExecuteOptions } from './execution-options.js';
import { executeStateMachine } from './executor.js';

/** Told about each step-runner call as it happens, to show progress. */
export interface StepObserver {
  onStepStart?(stepId: string): void;
  onStepSucceeded?(stepId: string, result: StepRef | Record<string, unknown>): void;
  onStepFailed?(stepId: string, error: Error): void;
}

/** What a local run needs: the compiled pipeline, resolved inputs, and the step runner's deps. */
export interface LocalRunOptions {
  readonly asl: AslObject;
  readonly bundle: SpecBundle;
  readonly inputs: Record<string, unknown>;
  readonly tenantId: string;
  readonly deps: StepRunnerDeps;
  /** `none` skips Retry waits (tests, benchmarks); `real` keeps the compiled intervals. */
  readonly retryDelay: 'real' | 'none';
  readonly observer?: StepObserver;
  /** Told about every event of the execution (states entered and exited, retries), as the executor reports it. */
  readonly onEvent?: ExecuteOptions['onEvent'];
  /** The state machines of nested pipelines (`CompileResult.children`), run in-process when started. */
  readonly children?: readonly ChildStateMachine[];
}

/**
 * Runs a compiled pipeline on the local stack the way it runs on AWS: the run is recorded, the ASL is
 * executed by the local Step Functions interpreter with every step-runner Task served in-process by
 * the same core the Lambda runs, and the run record is closed with its outcome and totals.
 *
 * Once the record is written the run always ends closed: an exception on the way (the executor
 * refusing the execution input, a store failing while the run closes) closes it as FAILED with the
 * error's name and message, and the FAILED record is returned like any failed run's, rather than
 * leaving it RUNNING with nothing running it. Only a failure to close the run is thrown.
 */
export async function runPipelineLocally(options: LocalRunOptions): Promise<RunRecord> {
  const { deps } = options;
  const input = await startRun(
    { tenantId: options.tenantId, bundle: options.bundle, inputs: options.inputs },
    deps,
  );
  try {
    return (await finishRun(input.run, await execute(input, options), deps)).record;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const outcome = { status: 'FAILED', error: failure.name, cause: failure.message } as const;
    return (await finishRun(input.run, outcome, deps)).record;
  }
}

/** Executes the recorded run's state machine, each step-runner call told to the observer. */
async function execute(input: ExecutionInput, options: LocalRunOptions): Promise<ExecutionOutcome> {
  const { deps, observer } = options;
  const stepRunner = async (event: unknown) => {
    // A nested pipeline's step is shown under its scope (`report.summarize`), as its artifacts are filed.
    const { stepId: id, run } = event as { stepId?: unknown; run?: { scope?: unknown } };
    const stepId = typeof run?.scope === 'string' ? `${run.scope}.${String(id)}` : String(id);
    observer?.onStepStart?.(stepId);
    try {
      const result = await handleStepRunnerEvent(event, deps);
      observer?.onStepSucceeded?.(stepId, result);
      return result;
    } catch (error) {
      observer?.onStepFailed?.(stepId, error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  };
  const result = await executeStateMachine(options.asl, input, {
    taskHandlers: { [Placeholder.StepRunner]: stepRunner },
    executionName: input.run.runId,
    retryDelay: options.retryDelay,
    artifacts: deps.artifacts,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.children?.length
      ? { childMachines: Object.fromEntries(options.children.map((c) => [c.placeholder, c.definition])) }
      : {}),
  });
  return result.status === 'SUCCEEDED'
    ? { status: 'SUCCEEDED', output: result.output }
    : { status: 'FAILED', error: result.error, cause: result.cause };
}

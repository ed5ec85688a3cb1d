import type { RunRecord } from '../functions/core/ports/run-store.js';
import { type ExecutionOutcome, finishRun, startRun } from '../functions/core/run-lifecycle.js';
import type { StepRef } from '../functions/core/step-event.js';
import type { StepRunnerDeps } from '../functions/core/step-runner.js';
import { handleStepRunnerEvent } from '../functions/core/step-runner-handler.js';
import { type AslObject, Placeholder, type SpecBundle } from '../statemachines/types.js';
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
}

/**
 * Runs a compiled pipeline on the local stack the way it runs on AWS: the run is recorded, the ASL is
 * executed by the local Step Functions interpreter with every step-runner Task served in-process by
 * the same core the Lambda runs, and the run record is closed with its outcome and totals.
 */
export async function runPipelineLocally(options: LocalRunOptions): Promise<RunRecord> {
  const { deps, observer } = options;
  const input = await startRun(
    { tenantId: options.tenantId, bundle: options.bundle, inputs: options.inputs },
    deps,
  );
  const stepRunner = async (event: unknown) => {
    const stepId = String((event as { stepId?: unknown }).stepId);
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
  });
  const outcome: ExecutionOutcome =
    result.status === 'SUCCEEDED'
      ? { status: 'SUCCEEDED' }
      : { status: 'FAILED', error: result.error, cause: result.cause };
  return finishRun(input.run, outcome, deps);
}

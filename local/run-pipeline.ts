import { bundleSummary } from '../functions/catalog/deployed-catalog.js';
import { MemoryEventPublisher } from '../functions/events/memory-publisher.js';
import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import type { EventPublisher } from '../functions/ports/event-publisher.js';
import type { ExecutionDescription } from '../functions/ports/execution-engine.js';
import type { CatalogEntry, PipelineCatalog } from '../functions/ports/pipeline-catalog.js';
import type { RunRecord } from '../functions/ports/runs.js';
import { handleExecutionStatusChange } from '../functions/runs/execution-status.js';
import { startPipelineRun } from '../functions/runs/start-pipeline-run.js';
import type { StepRunnerDeps } from '../functions/step-runner/deps.js';
import { handleStepRunnerEvent } from '../functions/step-runner/handler.js';
import {
  type AslObject,
  type ChildStateMachine,
  Placeholder,
  RUN_TASK_SYNC,
  type SpecBundle,
} from '../pipelines/contract/spec-bundle.js';
import type { StepRef } from '../pipelines/contract/step-event.js';
import type { ExecuteOptions, TaskHandler } from './execution-options.js';
import type { LocalDeps } from './local-deps.js';
import { LocalExecutionEngine } from './local-execution-engine.js';
import { shippedMachinesOn } from './shipped-machines.js';
import { testRunnerTask } from './test-runner-task.js';

/** Told about each step-runner call as it happens, to show progress. */
export interface StepObserver {
  onStepStart?(stepId: string): void;
  onStepSucceeded?(stepId: string, result: StepRef | Record<string, unknown>): void;
  onStepFailed?(stepId: string, error: Error): void;
}

/** What a local run needs: the compiled pipeline, its inputs, and the step runner's deps. */
export interface LocalRunOptions {
  readonly asl: AslObject;
  readonly bundle: SpecBundle;
  /** Checked against the pipeline's declared inputs as the API checks a run request's `input`. */
  readonly inputs: Record<string, unknown>;
  readonly tenantId: string;
  readonly deps: LocalDeps;
  /** `none` skips Retry waits (tests, benchmarks); `real` keeps the compiled intervals. */
  readonly retryDelay: 'real' | 'none';
  readonly observer?: StepObserver;
  /** Told about every event of the execution (states entered and exited, retries), as the executor reports it. */
  readonly onEvent?: ExecuteOptions['onEvent'];
  /** The state machines of nested pipelines (`CompileResult.children`), run in-process when started. */
  readonly children?: readonly ChildStateMachine[];
  /** The repository snapshot the run works on (`--repo DIR`, stored by `storeWorkspace`). */
  readonly workspaceId?: string;
  /** Where the run's completion event goes (EventBridge on AWS). @default - kept in memory */
  readonly events?: EventPublisher;
  /**
   * Keeps the execution and its checkpoints in this store (the data directory's bucket), as
   * `elexirion dev` does, so that a run whose process is killed is closed FAILED, and can be
   * redriven, by the next process over the same store. Executions a dead process left there are
   * closed before this run starts and reported to `onReconciled`.
   * @default - in memory only
   */
  readonly executionStore?: ArtifactStore;
  readonly onReconciled?: (execution: ExecutionDescription) => void;
}

/**
 * Runs a compiled pipeline on the local stack through the code paths the cloud runs: the run is
 * started by `startPipelineRun` (inputs checked, run recorded, execution started, as the API and the
 * triggers start one), the local Step Functions engine executes the state machine with every
 * step-runner Task served in-process by the Lambda's core, and the execution's end closes the run
 * through the execution-events handler (`closeRun`: totals, failure, completion event).
 *
 * An execution that throws (the engine refusing its input, say) ends FAILED with the error's name
 * and message and closes the run like any failed one; only a failure to close the run is thrown.
 */
export async function runPipelineLocally(options: LocalRunOptions): Promise<RunRecord> {
  const { deps, bundle, tenantId } = options;
  let closeFailure: unknown;
  const closerDeps = {
    ...deps,
    events: options.events ?? new MemoryEventPublisher(),
    get engine() {
      return engine;
    },
  };
  const engine: LocalExecutionEngine = new LocalExecutionEngine({
    taskHandlers: {
      [Placeholder.StepRunner]: observedStepRunner(deps, options.observer),
      [RUN_TASK_SYNC]: testRunnerTask(deps),
    },
    retryDelay: options.retryDelay,
    artifacts: deps.artifacts,
    ...(options.executionStore ? { store: options.executionStore } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    onStatusChange: (change) => handleExecutionStatusChange(change, closerDeps),
    onError: (error) => {
      closeFailure ??= error;
    },
  });
  for (const execution of await engine.reconcile()) options.onReconciled?.(execution);
  const stateMachine = await shippedMachinesOn(engine)(tenantId, bundle.pipeline, options.asl, [
    ...(options.children ?? []),
  ]);
  const { runId } = await startPipelineRun(
    {
      tenantId,
      pipeline: bundle.pipeline,
      input: options.inputs,
      ...(options.workspaceId === undefined ? {} : { workspaceId: options.workspaceId }),
    },
    { ...closerDeps, engine, catalog: oneEntryCatalog(bundle, stateMachine) },
  );
  await engine.whenIdle();
  if (closeFailure !== undefined) throw closeFailure;
  const record = await deps.runs.getRun(tenantId, runId);
  if (!record) throw new Error(`run ${runId} of tenant ${tenantId} has no record after it ended`);
  return record;
}

/** The step runner's core as the Task handler, each call told to the observer. */
function observedStepRunner(deps: StepRunnerDeps, observer: StepObserver | undefined): TaskHandler {
  return async (event) => {
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
}

/** A catalog holding the one pipeline being run, deployed as `stateMachine`. */
function oneEntryCatalog(bundle: SpecBundle, stateMachine: string): PipelineCatalog {
  const entry: CatalogEntry = { ...bundleSummary(bundle.pipeline, bundle), bundle, stateMachine };
  return {
    get: async (_tenantId, name) => (name === entry.name ? entry : undefined),
    list: async () => [entry],
  };
}

import type { ArtifactStore } from '../../functions/ports/artifact-store.js';
import type { AttemptRecord } from '../../functions/ports/attempts.js';
import type { Provider } from '../../functions/ports/provider.js';
import type { RunStore } from '../../functions/ports/run-store.js';
import type { RunRecord } from '../../functions/ports/runs.js';
import { MockProvider } from '../../functions/providers/mock-provider.js';
import type { LocalStack } from '../../local/emulators.js';
import type { ExecutionEvent } from '../../local/execution-options.js';
import { createLocalDeps } from '../../local/local-deps.js';
import { runPipelineLocally } from '../../local/run-pipeline.js';
import { buildRunReport, runReportJson } from '../../local/run-report.js';
import type { AslObject, SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { StepArtifact } from '../../pipelines/contract/step-event.js';
import { compileLines, mockScript } from './harness.js';

/**
 * The conformance harness of the LLM step family: YAML lines are loaded, compiled, checked with
 * asl-validator (see `compileLines`) and run on the local stack with the mock provider, or a
 * provider a test wraps around it, and the run comes back with its report, its attempts, its final
 * state and the states it entered.
 */

/** What a test asserts on after a run. */
export interface LlmRun {
  readonly run: RunRecord;
  readonly asl: AslObject;
  readonly bundle: SpecBundle;
  /** `run --json`'s object. */
  readonly json: {
    readonly status: string;
    readonly outputs: Record<string, unknown>;
    readonly steps: {
      name: string;
      status: string;
      attempts: number;
      degraded: boolean;
      [key: string]: unknown;
    }[];
  };
  readonly attempts: readonly AttemptRecord[];
  /** The final state's `steps`, when the run succeeded. */
  readonly steps: Record<string, Record<string, unknown>> | undefined;
  /** Names of the states entered, in order, nested Map and Parallel states included. */
  readonly entered: readonly string[];
  readonly stores: { readonly artifacts: ArtifactStore; readonly runs: RunStore };
}

/** Options of {@link runLlmLines}. */
export interface RunOptions {
  /** Mock answers by step id and attempt: an object answers as JSON, `{$error: NAME}` injects a fault. */
  readonly script?: Readonly<Record<string, readonly unknown[]>>;
  /** Wraps the mock provider (to count calls in flight, delay answers, …). */
  readonly wrap?: (provider: Provider) => Provider;
  readonly inputs?: Record<string, unknown>;
  /** The tenant runs belong to; runs of one tenant share sessions and cached responses. */
  readonly tenantId?: string;
}

/** Runs YAML lines on `stack` and reads back the report, the attempts and the final state. */
export async function runLlmLines(
  stack: LocalStack,
  lines: readonly string[],
  options: RunOptions = {},
): Promise<LlmRun> {
  const { asl, bundle } = await compileLines(lines);
  const mock: Provider = new MockProvider({ script: mockScript(options.script ?? {}) });
  const provider = options.wrap ? options.wrap(mock) : mock;
  const deps = createLocalDeps(stack, () => provider);
  const entered: string[] = [];
  let steps: LlmRun['steps'];
  const run = await runPipelineLocally({
    asl,
    bundle,
    inputs: options.inputs ?? {},
    tenantId: options.tenantId ?? 'conformance',
    deps,
    retryDelay: 'none',
    onEvent: (event: ExecutionEvent) => {
      if (event.type === 'StateEntered') entered.push(event.state.name);
      if (event.type === 'ExecutionSucceeded') steps = (event.output as { steps: LlmRun['steps'] }).steps;
    },
  });
  const report = await buildRunReport(run, deps);
  const attempts = await deps.runs.listAttempts(run.tenantId, run.runId);
  const json = runReportJson(report) as LlmRun['json'];
  return { run, asl, bundle, json, attempts, steps, entered, stores: deps };
}

/** The artifact of a step's attempt, read back from S3. */
export function artifactOf(result: LlmRun, stepId: string, attempt?: number): Promise<StepArtifact> {
  const record = result.attempts
    .filter((a) => a.stepId === stepId && (attempt === undefined || a.attempt === attempt))
    .at(-1);
  if (record?.artifactKey === undefined) throw new Error(`step ${stepId} has no artifact in this run`);
  return result.stores.artifacts.getJson<StepArtifact>(record.artifactKey);
}

/** The states of a compiled definition, nested ones included, by name. */
export function allStates(asl: AslObject): Record<string, Record<string, unknown>> {
  const found: Record<string, Record<string, unknown>> = {};
  const visit = (machine: unknown): void => {
    const states = (machine as { States?: Record<string, Record<string, unknown>> }).States ?? {};
    for (const [name, state] of Object.entries(states)) {
      found[name] = state;
      for (const branch of (state.Branches as unknown[] | undefined) ?? []) visit(branch);
      if (state.ItemProcessor !== undefined) visit(state.ItemProcessor);
    }
  };
  visit(asl);
  return found;
}

import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import type { AttemptRecord, AttemptRecords } from '../functions/ports/attempts.js';
import type { RunRecord, RunUsage } from '../functions/ports/runs.js';
import { controlFlowResults } from '../functions/runs/run-results.js';
import { type StepReport, stepReports } from '../functions/runs/step-reports.js';
import type { SpecBundle } from '../pipelines/contract/spec-bundle.js';
import type { StepArtifact } from '../pipelines/contract/step-event.js';
import { dataStepOutputs } from './data-step-outputs.js';

/** A run as `run --json` and `show` present it: the record, each step, and the final outputs. */
export interface RunReport {
  readonly run: RunRecord;
  readonly steps: readonly StepReport[];
  /**
   * Each succeeded LLM step's answer: its JSON when it answered JSON, its text otherwise; each data
   * and control-flow step's result. Steps of loop bodies are only inside their loop's result (a
   * for_loop's `iterations`, a while_loop's `last`), so no top-level output is one iteration's.
   */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly usage: RunUsage;
}

/** Reads a run's attempts and artifacts back from the stores and assembles its report. */
export async function buildRunReport(
  run: RunRecord,
  stores: { readonly runs: AttemptRecords; readonly artifacts: ArtifactStore },
): Promise<RunReport> {
  const [attempts, bundle] = await Promise.all([
    stores.runs.listAttempts(run.tenantId, run.runId),
    stores.artifacts.getJson<SpecBundle>(run.bundleKey),
  ]);
  // Loops, switches and skipped steps: their results live in the final state, kept by closeRun.
  const results = await controlFlowResults(run, stores.artifacts);
  const steps = stepReports(bundle, attempts, results);
  // A batch's tasks are listed as steps (each with its status), their answers only in the batch's output.
  const tasks = new Set(
    Object.values(bundle.steps).flatMap((spec) =>
      spec.kind === 'batch' ? spec.tasks.map((t) => t.stepId) : [],
    ),
  );
  const outputs: Record<string, unknown> = {};
  for (const step of steps) {
    if (tasks.has(step.name) || step.iterations !== undefined) continue;
    // The last success is the answer: an agent step's earlier turns succeed too, with tool calls.
    const key = step.attemptRecords.filter((a) => a.status === 'SUCCEEDED').at(-1)?.artifactKey;
    if (key === undefined) continue;
    const artifact = await stores.artifacts.getJson<StepArtifact>(key);
    outputs[step.name] = artifact.response.data ?? artifact.response.text;
  }
  Object.assign(outputs, await dataStepOutputs(run, bundle, stores.artifacts));
  for (const [name, result] of Object.entries(results)) {
    if (!(name in outputs)) outputs[name] = result;
  }
  const usage = run.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  return { run, steps, outputs, usage };
}

/**
 * The `run --json` object: `{runId, status, outputs, steps, usage}`. A degraded step (a fallback
 * answered) says so with `degraded: true`, `degradedReason` and `originalError`; a step in a loop
 * body gives the `iterations` that ran it; a SKIPPED step its `reason`; a step with a call
 * budget (`claude_robust`) gives it (`callBudget`) and the provider calls it made (`providerCalls`).
 */
export function runReportJson(report: RunReport): object {
  return {
    runId: report.run.runId,
    status: report.run.status,
    ...(report.run.error ? { error: report.run.error } : {}),
    outputs: report.outputs,
    steps: report.steps.map((step) => ({
      name: step.name,
      status: step.status,
      attempts: step.attempts,
      degraded: step.degraded,
      ...(step.degradedReason === undefined ? {} : { degradedReason: step.degradedReason }),
      ...(step.originalError === undefined ? {} : { originalError: step.originalError }),
      ...(step.iterations === undefined ? {} : { iterations: step.iterations }),
      ...(step.reason === undefined ? {} : { reason: step.reason }),
      ...(step.callBudget === undefined
        ? {}
        : { callBudget: step.callBudget, providerCalls: step.providerCalls }),
    })),
    usage: report.usage,
  };
}

/** The most of a tool call's input `show` repeats on its line. */
const SHOWN_INPUT_CHARS = 60;

/**
 * An agent turn's tool calls as `show` lists them under the turn's attempt, one line each: the
 * tool, its main input (the first text field: a file path, a pattern), and the error of a refused or
 * failed call, e.g. `Read ../../etc/passwd: Tool.OutsideWorkspace`. None for any other attempt.
 */
export function toolCallLines(attempt: AttemptRecord): string[] {
  return (attempt.toolCalls ?? []).map((call) => {
    const main = Object.values(call.input).find((value) => typeof value === 'string') as string | undefined;
    const shown =
      main === undefined
        ? ''
        : ` ${main.length > SHOWN_INPUT_CHARS ? `${main.slice(0, SHOWN_INPUT_CHARS)}…` : main}`;
    return `${call.name}${shown}${call.isError ? `: ${call.errorName ?? 'error'}` : ''}`;
  });
}

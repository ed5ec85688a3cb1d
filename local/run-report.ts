import type { ArtifactStore } from '../functions/core/ports/artifact-store.js';
import type { AttemptRecord, RunRecord, RunStore, RunUsage } from '../functions/core/ports/run-store.js';
import type { StepArtifact } from '../functions/core/step-event.js';
import type { SpecBundle } from '../statemachines/types.js';

/** How one step of a run went. */
export interface StepReport {
  readonly name: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'NOT_RUN';
  readonly attempts: number;
  readonly degraded: boolean;
  readonly attemptRecords: readonly AttemptRecord[];
}

/** A run as `run --json` and `show` present it: the record, each step, and the final outputs. */
export interface RunReport {
  readonly run: RunRecord;
  readonly steps: readonly StepReport[];
  /** Each succeeded LLM step's answer: its JSON when it answered JSON, its text otherwise. */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly usage: RunUsage;
}

/** Reads a run's attempts and artifacts back from the stores and assembles its report. */
export async function buildRunReport(
  run: RunRecord,
  stores: { readonly runs: RunStore; readonly artifacts: ArtifactStore },
): Promise<RunReport> {
  const [attempts, bundle] = await Promise.all([
    stores.runs.listAttempts(run.tenantId, run.runId),
    stores.artifacts.getJson<SpecBundle>(run.bundleKey),
  ]);
  const llmSteps = Object.entries(bundle.steps).flatMap(([name, spec]) =>
    spec.kind === 'llm' ? [name] : [],
  );
  const steps = llmSteps.map((name) =>
    stepReport(
      name,
      attempts.filter((a) => a.stepId === name),
    ),
  );
  const outputs: Record<string, unknown> = {};
  for (const step of steps) {
    const key = step.attemptRecords.find((a) => a.status === 'SUCCEEDED')?.artifactKey;
    if (key === undefined) continue;
    const artifact = await stores.artifacts.getJson<StepArtifact>(key);
    outputs[step.name] = artifact.response.data ?? artifact.response.text;
  }
  const usage = run.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  return { run, steps, outputs, usage };
}

function stepReport(name: string, attempts: readonly AttemptRecord[]): StepReport {
  const status = attempts.some((a) => a.status === 'SUCCEEDED')
    ? 'SUCCEEDED'
    : attempts.length
      ? 'FAILED'
      : 'NOT_RUN';
  return { name, status, attempts: attempts.length, degraded: false, attemptRecords: attempts };
}

/** The `run --json` object: `{runId, status, outputs, steps, usage}`. */
export function runReportJson(report: RunReport): object {
  return {
    runId: report.run.runId,
    status: report.run.status,
    ...(report.run.error ? { error: report.run.error } : {}),
    outputs: report.outputs,
    steps: report.steps.map(({ name, status, attempts, degraded }) => ({ name, status, attempts, degraded })),
    usage: report.usage,
  };
}

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ArtifactStore } from '../../functions/ports/artifact-store.js';
import type { RunRecord } from '../../functions/ports/runs.js';
import { createProviderRouter } from '../../functions/providers/provider-router.js';
import { resolveRunInputs } from '../../functions/runs/run-inputs.js';
import type { LocalStack } from '../../local/emulators.js';
import type { ExecutionEvent } from '../../local/execution-options.js';
import { createLocalDeps } from '../../local/local-deps.js';
import { runPipelineLocally } from '../../local/run-pipeline.js';
import { loadPipeline } from '../../pipelines/loader.js';
import { type CompileResult, compilePipeline } from '../../statemachines/compile.js';
import { mockScript } from './harness.js';

export { located } from './harness.js';

/**
 * The conformance harness of the data and composition step types (test_echo, data_transform,
 * file_ops, pipeline): fixture files are written to a temporary folder (nested pipelines name each
 * other by path), loaded, compiled (which runs asl-validator on every definition, child state
 * machines included) and run on the local stack with the mock provider. A run returns what tests assert on: each step's
 * result as templates read it, the states entered, the step runner's calls.
 */

/** Writes `files` (name → YAML lines) to a new temporary folder and returns its path. */
export async function writeFixtures(files: Readonly<Record<string, readonly string[]>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'elexirion-conformance-'));
  for (const [name, lines] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), `${lines.join('\n')}\n`);
  }
  return dir;
}

/**
 * Loads and compiles a file; fails the test on any load or compile error. The compiler runs
 * asl-validator on the definition and on each child state machine (an `ASL_INVALID` issue).
 */
export async function compileFile(
  file: string,
): Promise<Required<Pick<CompileResult, 'asl' | 'bundle' | 'children'>> & CompileResult> {
  const loaded = await loadPipeline(file);
  if (!loaded.pipeline)
    throw new Error(`the fixture did not load: ${JSON.stringify(loaded.issues, null, 2)}`);
  const compiled = compilePipeline(loaded.pipeline);
  if (!compiled.asl || !compiled.bundle) {
    throw new Error(`the fixture did not compile: ${JSON.stringify(compiled.issues, null, 2)}`);
  }
  return { ...compiled, asl: compiled.asl, bundle: compiled.bundle, children: compiled.children ?? [] };
}

/** What a conformance run shows. */
export interface DataRun {
  readonly run: RunRecord;
  readonly compiled: Awaited<ReturnType<typeof compileFile>>;
  /** The final state's `steps`, when the run succeeded. */
  readonly steps: Readonly<Record<string, unknown>>;
  /** Names of the states entered in the top execution, in order. */
  readonly entered: readonly string[];
  /** Step-runner calls (scoped ids), in call order. */
  readonly calls: readonly string[];
  readonly artifacts: ArtifactStore;
  /** A step's result as `{{steps.NAME…}}` reads it: from its artifact, or as a Pass state left it. */
  result(step: string): Promise<unknown>;
}

/** Runs a fixture file on `stack` with the mock provider (answers scripted by step name). */
export async function runFile(
  stack: LocalStack,
  file: string,
  options: {
    readonly inputs?: Record<string, unknown>;
    readonly script?: Readonly<Record<string, readonly string[]>>;
    readonly tenantId?: string;
  } = {},
): Promise<DataRun> {
  const compiled = await compileFile(file);
  const inputs = resolveRunInputs(compiled.bundle, options.inputs ?? {});
  if (!inputs.ok) throw new Error(`bad inputs: ${JSON.stringify(inputs.problems)}`);
  const deps = createLocalDeps(
    stack,
    createProviderRouter({ mode: 'mock', mockScript: mockScript(options.script ?? {}) }),
  );
  const entered: string[] = [];
  const calls: string[] = [];
  let steps: Record<string, unknown> = {};
  const run = await runPipelineLocally({
    asl: compiled.asl,
    bundle: compiled.bundle,
    children: compiled.children,
    inputs: inputs.inputs,
    tenantId: options.tenantId ?? 'conformance',
    deps,
    retryDelay: 'none',
    observer: { onStepStart: (stepId) => calls.push(stepId) },
    onEvent: (event: ExecutionEvent) => {
      if (event.type === 'StateEntered') entered.push(event.state.name);
      if (event.type === 'ExecutionSucceeded')
        steps = (event.output as { steps: Record<string, unknown> }).steps;
    },
  });
  const result = async (step: string): Promise<unknown> => {
    const entry = steps[step] as { artifact?: { key: string } } | undefined;
    if (entry?.artifact === undefined) return entry;
    return (await deps.artifacts.getJson<{ response: { data?: unknown; text: string } }>(entry.artifact.key))
      .response.data;
  };
  return { run, compiled, steps, entered, calls, artifacts: deps.artifacts, result };
}

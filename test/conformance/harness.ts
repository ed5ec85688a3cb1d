import type { RunRecord } from '../../functions/ports/runs.js';
import type { MockResponse, MockScript } from '../../functions/providers/mock-script.js';
import { createProviderRouter } from '../../functions/providers/provider-router.js';
import { resolveRunInputs } from '../../functions/runs/run-inputs.js';
import type { LocalStack } from '../../local/emulators.js';
import type { ExecutionEvent } from '../../local/execution-options.js';
import { createLocalDeps } from '../../local/local-deps.js';
import { runPipelineLocally } from '../../local/run-pipeline.js';
import type { AslObject, SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import { positionOf } from '../../pipelines/format-issues.js';
import { loadPipelineFromString } from '../../pipelines/loader.js';
import type { LoadResult, Pipeline } from '../../pipelines/types.js';
import { checkAsl } from '../../statemachines/check.js';
import { compilePipeline } from '../../statemachines/compile.js';

/**
 * The conformance harness shared by every step type's suite: a pipeline written as YAML lines is
 * loaded, compiled, checked with asl-validator and run on the local stack with the mock provider,
 * and the run is returned with what a test asserts on: the final state, the states entered in
 * order, and the step runner's calls.
 */

/** Loads YAML lines as `/conformance/p.yaml`. */
export function load(lines: readonly string[]): Promise<LoadResult> {
  return loadPipelineFromString(`${lines.join('\n')}\n`, '/conformance/p.yaml');
}

/** Each issue as `CODE@LINE:COL` (warnings included), for assertions on codes and positions. */
export function located(result: LoadResult): string[] {
  return result.issues.map((issue) => {
    const { line, col } = positionOf(result.source, issue.range[0]);
    return `${issue.code}@${line}:${col}`;
  });
}

/** Loads and compiles; fails the test on any load or compile error. */
export async function compileLines(
  lines: readonly string[],
): Promise<{ pipeline: Pipeline; asl: AslObject; bundle: SpecBundle }> {
  const loaded = await load(lines);
  if (!loaded.pipeline)
    throw new Error(`the fixture did not load: ${JSON.stringify(loaded.issues, null, 2)}`);
  const compiled = compilePipeline(loaded.pipeline);
  if (!compiled.asl || !compiled.bundle)
    throw new Error(`the fixture did not compile: ${JSON.stringify(compiled.issues, null, 2)}`);
  const invalid = checkAsl(compiled.asl);
  if (invalid.length > 0)
    throw new Error(`asl-validator rejected the definition: ${JSON.stringify(invalid, null, 2)}`);
  return { pipeline: loaded.pipeline, asl: compiled.asl, bundle: compiled.bundle };
}

/** What a conformance run shows. */
export interface ConformanceRun {
  readonly run: RunRecord;
  readonly asl: AslObject;
  readonly bundle: SpecBundle;
  /** The execution's final state (`{run, inputs, global_vars, steps}`), when it succeeded. */
  readonly output: { readonly steps: Record<string, unknown>; readonly [key: string]: unknown } | undefined;
  /** The final state's step results; empty when the run failed. */
  readonly steps: Readonly<Record<string, unknown>>;
  /** Names of the states entered, in order, nested Map and Parallel states included. */
  readonly entered: readonly string[];
  /** Step-runner calls by step id, in call order. */
  readonly calls: readonly string[];
}

/**
 * Runs YAML lines on `stack`. `script` maps step names to the mock's answers by attempt (an object
 * answers as JSON; `{$error: NAME}` injects a fault).
 */
export async function runLines(
  stack: LocalStack,
  lines: readonly string[],
  options: {
    readonly script?: Readonly<Record<string, readonly unknown[]>>;
    readonly inputs?: Record<string, unknown>;
  } = {},
): Promise<ConformanceRun> {
  const { asl, bundle } = await compileLines(lines);
  const inputs = resolveRunInputs(bundle, options.inputs ?? {});
  if (!inputs.ok) throw new Error(`bad inputs: ${JSON.stringify(inputs.problems)}`);
  const providerFor = createProviderRouter({ mode: 'mock', mockScript: mockScript(options.script ?? {}) });
  const entered: string[] = [];
  const calls: string[] = [];
  let output: ConformanceRun['output'];
  const run = await runPipelineLocally({
    asl,
    bundle,
    inputs: inputs.inputs,
    tenantId: 'conformance',
    deps: createLocalDeps(stack, providerFor),
    retryDelay: 'none',
    observer: { onStepStart: (stepId) => calls.push(stepId) },
    onEvent: (event: ExecutionEvent) => {
      if (event.type === 'StateEntered') entered.push(event.state.name);
      if (event.type === 'ExecutionSucceeded') output = event.output as ConformanceRun['output'];
    },
  });
  return { run, asl, bundle, output, steps: output?.steps ?? {}, entered, calls };
}

/** A mock script from answers by step id: an object answers as JSON, `{$error: NAME}` injects a fault. */
export function mockScript(script: Readonly<Record<string, readonly unknown[]>>): MockScript {
  const response = (value: unknown): MockResponse => {
    if (typeof value === 'object' && value !== null && '$error' in value) {
      return {
        kind: 'error',
        error: (value as { $error: Extract<MockResponse, { kind: 'error' }>['error'] }).$error,
      };
    }
    return { kind: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) };
  };
  return {
    path: 'conformance-script',
    steps: new Map(Object.entries(script).map(([step, answers]) => [step, answers.map(response)])),
  };
}

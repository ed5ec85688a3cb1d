import type { ArtifactStore } from '../ports/artifact-store.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { expandResults } from '../step-runner/expand-results.js';

/** The part of a finished execution's output that reports read: the final `steps` map. */
interface ExecutionOutput {
  readonly steps?: Readonly<Record<string, unknown>>;
}

/**
 * Stores the final `steps` map of a succeeded execution beside the run's artifacts. Control-flow
 * results (loop iterations, the branch a switch took, a skipped step) exist only in the execution's
 * state; without this, a report could show LLM answers but not what the pipeline did with them.
 */
export async function storeRunResults(
  run: { readonly tenantId: string; readonly runId: string },
  output: unknown,
  artifacts: ArtifactStore,
): Promise<void> {
  const steps = (output as ExecutionOutput | null)?.steps;
  if (steps === undefined) return;
  await artifacts.putJson(artifactKeys.runResults(run.tenantId, run.runId), steps);
}

/**
 * The results of a run's steps that are not step references (loops, switches, skipped steps, Pass
 * results), with every reference inside them replaced by the answer it points at. Empty when the run
 * stored no results (it failed, or finished before results were kept). A while_loop's body runs in
 * the run's own state, so its steps' results of the last iteration stay beside the loop's: they are
 * left out here, as they are the loop's `last`.
 */
export async function controlFlowResults(
  run: { readonly tenantId: string; readonly runId: string },
  artifacts: ArtifactStore,
): Promise<Record<string, unknown>> {
  let steps: Record<string, unknown>;
  try {
    steps = await artifacts.getJson<Record<string, unknown>>(
      artifactKeys.runResults(run.tenantId, run.runId),
    );
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return {};
    throw error;
  }
  const bodies = new Set(Object.values(steps).flatMap(whileBodySteps));
  const results: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(steps)) {
    if (!isReference(value) && !bodies.has(name)) results[name] = await expandResults(value, artifacts);
  }
  return results;
}

/**
 * The steps of a while_loop's body, from its result `{iterations, max_iterations_reached, last}`
 * (those of a while_loop in the body too); none for any other result.
 */
function whileBodySteps(result: unknown): string[] {
  const { max_iterations_reached: reached, last } = (result ?? {}) as Record<string, unknown>;
  if (typeof reached !== 'boolean' || typeof last !== 'object' || last === null) return [];
  return Object.entries(last).flatMap(([name, inner]) => [name, ...whileBodySteps(inner)]);
}

/** A step reference: its answer is read from its artifact, not from state. */
function isReference(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'artifact' in value && 'stepId' in value;
}

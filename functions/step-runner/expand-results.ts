import type { ArtifactStore } from '../ports/artifact-store.js';
import type { StepOutput } from './step-output.js';

/**
 * A result the state holds in place of a reference (a loop's iterations, a switch's branch, a
 * skipped step), with every step reference inside it replaced by that step's answer: its JSON
 * when it answered JSON, its text otherwise. So `{{steps.reviews.iterations}}` renders what each
 * iteration answered, not where the answers are stored, and a condition can read
 * `steps.reviews.iterations.0.steps.review.severity`.
 */

/** Answers loaded at once, so a loop of many items does not open as many connections. */
const CONCURRENT_LOADS = 16;

/**
 * `value` with its nested references expanded. A reference is an object with `artifact.key` and
 * `stepId`; each is loaded once.
 *
 * @example
 * await expandResults({ iterations: [{ steps: { review: ref } }] }, artifacts);
 * // { iterations: [{ steps: { review: { severity: 'high' } } }] }
 */
export async function expandResults(value: unknown, artifacts: ArtifactStore): Promise<unknown> {
  const keys = new Set<string>();
  collect(value, keys);
  if (keys.size === 0) return value;
  const answers = new Map<string, unknown>();
  const pending = [...keys];
  const load = async (): Promise<void> => {
    for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
      const { response } = await artifacts.getJson<{ response: StepOutput }>(key);
      answers.set(key, response.data ?? response.text);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_LOADS, keys.size) }, load));
  return replace(value, answers);
}

function referenceKey(value: object): string | undefined {
  const { artifact, stepId } = value as { artifact?: { key?: unknown }; stepId?: unknown };
  return typeof artifact?.key === 'string' && typeof stepId === 'string' ? artifact.key : undefined;
}

function collect(value: unknown, keys: Set<string>): void {
  if (value === null || typeof value !== 'object') return;
  const key = referenceKey(value);
  if (key !== undefined) {
    keys.add(key);
    return;
  }
  for (const inner of Object.values(value)) collect(inner, keys);
}

function replace(value: unknown, answers: ReadonlyMap<string, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const key = referenceKey(value);
  if (key !== undefined) return answers.get(key);
  if (Array.isArray(value)) return value.map((inner) => replace(inner, answers));
  return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, replace(inner, answers)]));
}

import type { RefReader } from '../../pipelines/conditions/evaluate.js';
import { type Expr, walk } from '../../pipelines/contract/condition-ast.js';
import type { StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { valueAtPath } from '../../pipelines/data-path.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import { dataStepOutput } from '../steps/data-step-result.js';
import { expandResults } from './expand-results.js';
import type { StepOutput } from './step-output.js';

/**
 * What a condition reads during one evaluation: inputs, variables and the loop context from the
 * event, and the results of the steps it names, loaded from S3 up front. Unlike templates, a
 * condition tolerates what is missing (a step that has not run yet, a field the answer lacks): it
 * reads `null`, so `steps.check.passed == true` is simply false before `check` has run.
 *
 * @example
 * const read = await loadConditionReader(event, expr, deps.artifacts);
 * evaluateCondition(expr, read);
 */
export async function loadConditionReader(
  event: StepRunnerEvent,
  expr: Expr,
  artifacts: ArtifactStore,
): Promise<RefReader> {
  const names = new Set<string>();
  for (const node of walk(expr))
    if (node.kind === 'ref' && node.root === 'steps' && node.path[0]) names.add(node.path[0]);
  const outputs = new Map<string, StepOutput>();
  const skipped = new Set<string>();
  await Promise.all(
    [...names].map(async (name) => {
      const entry = event.steps[name];
      if (entry === undefined) return;
      const key = artifactKey(entry);
      if (key === undefined && (entry as { skipped?: unknown }).skipped === true) skipped.add(name);
      // A reference's answer is in S3; a result a Pass state wrote (a skipped step, a loop's) is the entry.
      const output =
        key === undefined
          ? dataStepOutput(await expandResults(entry, artifacts))
          : (await artifacts.getJson<{ response: StepOutput }>(key)).response;
      outputs.set(name, output);
    }),
  );
  return (root, path) => {
    if (root !== 'steps') return valueAtPath(root === 'loop' ? event.loop : event[root], path);
    const [name = '', ...fields] = path;
    const output = outputs.get(name);
    if (output === undefined) return undefined;
    if (fields.length === 1 && fields[0] === 'text') return output.text;
    // `skipped` and `reason` name the skip record `{skipped: true, reason}`, never an answer's fields.
    if (fields.length === 1 && (fields[0] === 'skipped' || fields[0] === 'reason') && !skipped.has(name))
      return undefined;
    return valueAtPath(output.data, fields);
  };
}

function artifactKey(entry: object): string | undefined {
  const artifact = (entry as { artifact?: { key?: unknown } }).artifact;
  return typeof artifact?.key === 'string' ? artifact.key : undefined;
}

import { valueAtPath } from './data-path.js';
import type { Step, Workflow } from './schema.js';
import { allSteps } from './step-tree.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/** Characters of a string prompt quoted in the hint. */
const EXCERPT_CHARS = 40;

/**
 * DEPRECATED_SYNTAX warnings for prompts written as one string (`prompt: "Summarize …"`), the
 * shorthand of pipeline_ex's newer examples, which its own loader refuses. The schema loads such a
 * prompt as one static part; the warning shows the list to write. The loaded workflow no longer says
 * which prompts were strings, so the file as written (`data`) is read at each prompt's path: every
 * step's, in loop bodies, switch cases and inline pipelines too, and each `parallel_claude` task's.
 * (A `claude_batch` task's string prompt is a form of its own, not this shorthand.)
 *
 * @example
 * checkPromptShorthand(workflow, doc.toJS(), locate); // [{code: 'DEPRECATED_SYNTAX', path: [..., 'prompt'], …}]
 */
export function checkPromptShorthand(
  workflow: Workflow,
  data: unknown,
  locate: YamlLocator,
): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  for (const path of promptPaths(workflow.steps, ['workflow', 'steps'])) {
    const written = valueAtPath(data, path);
    if (typeof written !== 'string') continue;
    const excerpt = written.length > EXCERPT_CHARS ? `${written.slice(0, EXCERPT_CHARS)}…` : written;
    issues.push({
      code: 'DEPRECATED_SYNTAX',
      severity: 'warning',
      message: 'a prompt written as a string loads as one static part',
      hint: `write prompt: [{type: static, content: ${JSON.stringify(excerpt)}}]`,
      path,
      range: locate.value(path),
    });
  }
  return issues;
}

/** The paths of every prompt in a list of steps and in everything nested in it. */
function* promptPaths(steps: readonly Step[], path: FieldPath): Generator<FieldPath> {
  for (const { step, path: at } of allSteps(steps, path)) {
    if ('prompt' in step) yield [...at, 'prompt'];
    if (step.type === 'parallel_claude') {
      for (const index of step.parallel_tasks.keys()) yield [...at, 'parallel_tasks', index, 'prompt'];
    }
    if (step.type === 'pipeline' && step.pipeline !== undefined) {
      yield* promptPaths(step.pipeline.steps as readonly Step[], [...at, 'pipeline', 'steps']);
    }
  }
}

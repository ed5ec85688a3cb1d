import { type InputSourceNames, resolveInputSource, stepSummary } from './input-source.js';
import { pipelineError } from './issues.js';
import type { Step, Workflow } from './schema.js';
import { allSteps } from './step-tree.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

/**
 * Load-time checks of `data_transform` sources: a template must be one whole template (the data is
 * a value, not text), and pipeline_ex's spellings must name something that exists before the step;
 * they load with a DEPRECATED_SYNTAX warning showing the template to write instead. References
 * inside templates are checked with every other template (`references.ts`).
 */
export function checkDataSources(workflow: Workflow, locate: YamlLocator): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const inputs = new Set(Object.keys(workflow.inputs ?? {}));
  const globalVars = new Set(Object.keys(workflow.global_vars ?? {}));
  const earlier = new Map<string, Step>();
  for (const { step, path } of allSteps(workflow.steps, ['workflow', 'steps'])) {
    if (step.type === 'data_transform') {
      const names: InputSourceNames = {
        step: (name) => {
          const found = earlier.get(name);
          return found === undefined ? undefined : stepSummary(found);
        },
        inputs,
        globalVars,
      };
      for (const [field, text] of sourcesOf(step, path))
        issues.push(...sourceIssues(text, field, names, locate));
    }
    if (step.type !== 'set_variable') earlier.set(step.name, step);
    // Variables set anywhere earlier in the file exist by now, as far as a legacy bare name can tell.
    if (step.type === 'set_variable') for (const name of Object.keys(step.variables)) globalVars.add(name);
  }
  return issues;
}

function* sourcesOf(
  step: Extract<Step, { type: 'data_transform' }>,
  path: FieldPath,
): Generator<[FieldPath, string]> {
  yield [[...path, 'input_source'], step.input_source];
  for (const [index, operation] of (step.operations ?? []).entries()) {
    if (operation.operation === 'join')
      yield [[...path, 'operations', index, 'right_source'], operation.right_source];
  }
}

function sourceIssues(
  text: string,
  path: FieldPath,
  names: InputSourceNames,
  locate: YamlLocator,
): PipelineIssue[] {
  const resolved = resolveInputSource(text, names);
  const range = locate.value(path);
  switch (resolved.kind) {
    case 'template':
      return [];
    case 'legacy':
      return [
        {
          code: 'DEPRECATED_SYNTAX',
          severity: 'warning',
          message: resolved.message,
          hint: `write ${resolved.template}`,
          path,
          range,
        },
      ];
    case 'error':
      return [
        pipelineError({ code: resolved.code, message: resolved.message, hint: resolved.hint, path, range }),
      ];
  }
}

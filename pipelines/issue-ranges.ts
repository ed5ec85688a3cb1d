import { parseDocument } from 'yaml';
import type { PipelineIssue } from './types.js';
import { YamlLocator } from './yaml-ranges.js';

/**
 * Gives compile-time issues (which know the field path of the step at fault, not the text) the
 * range of that field in the pipeline file, so every issue prints as `FILE:LINE:COL`. Issues that
 * have a range, or no path, are returned as they are.
 *
 * @example
 * withFieldRanges(compiled.issues, loaded.source); // HISTORY_TOO_LONG at workflow.steps[2].max_iterations
 */
export function withFieldRanges(issues: readonly PipelineIssue[], source: string): PipelineIssue[] {
  if (!issues.some(needsRange)) return [...issues];
  const locate = new YamlLocator(parseDocument(source, { prettyErrors: false }), source);
  return issues.map((issue) => (needsRange(issue) ? { ...issue, range: locate.value(issue.path) } : issue));
}

function needsRange(issue: PipelineIssue): boolean {
  return issue.path.length > 0 && issue.range[0] === 0 && issue.range[1] === 0;
}

import { ErrorName } from '../../../pipelines/contract/errors.js';
import { globMatcher, MAX_ALTERNATIVES, MAX_GLOB_LENGTH, type PathMatcher } from '../../steps/files/glob.js';
import { WORKSPACE_ROOT } from './paths.js';
import { ToolFailure } from './tool.js';

/**
 * A glob of a tool call as `file_ops`' matcher reads it (`**` crosses folders, `{a,b}` is either),
 * matched against paths relative to the searched folder. A pattern written under `/workspace/`, as
 * a model used to Claude Code may, is read relative to the root. A pattern too large to match is
 * `Tool.InvalidInput` naming `field`.
 */
export function toolGlob(field: string, pattern: string): PathMatcher {
  const relative = pattern.startsWith(`${WORKSPACE_ROOT}/`)
    ? pattern.slice(WORKSPACE_ROOT.length + 1)
    : pattern;
  try {
    return globMatcher(relative);
  } catch (error) {
    // globMatcher refuses patterns past its size limits as File.InvalidPath, worded for file_ops steps.
    if (!(error instanceof Error) || error.name !== ErrorName.FileInvalidPath) throw error;
    throw new ToolFailure(
      ErrorName.ToolInvalidInput,
      `${field}: too large (more than ${MAX_GLOB_LENGTH} characters or ${MAX_ALTERNATIVES} brace alternatives); use a shorter pattern`,
    );
  }
}

import { ErrorName } from '../../../pipelines/contract/errors.js';
import { normalizeWorkspacePath, workspacePathProblem } from '../../../pipelines/workspace-paths.js';
import { ToolFailure } from './tool.js';

/**
 * Where the workspace appears to the model. Models trained on Claude Code send absolute paths, so a
 * path under this root is taken as the workspace path after it; the tool descriptions name it.
 */
export const WORKSPACE_ROOT = '/workspace';

/**
 * The workspace-relative canonical form of a path a tool call named (`''` is the workspace root):
 * `src/a.js`, `./src//a.js` and `/workspace/src/a.js` are all `src/a.js`. A path that could leave
 * the workspace (`..`, another absolute path, a backslash, a drive letter, a control character such
 * as NUL) is refused with `Tool.OutsideWorkspace` before anything is read.
 *
 * @example
 * toolPath('file_path', '/workspace/src/a.js'); // 'src/a.js'
 */
export function toolPath(field: string, path: string): string {
  const relative = withoutWorkspaceRoot(path);
  const problem = workspacePathProblem(relative);
  if (problem === undefined) return normalizeWorkspacePath(relative);
  // workspacePathProblem words an absolute path's problem for file_ops authors (their tenant's
  // prefix); an agent needs to hear about /workspace instead.
  const reason = /^(\/|[A-Za-z]:)/.test(relative)
    ? `an absolute path must be under ${WORKSPACE_ROOT}/`
    : problem;
  throw new ToolFailure(
    ErrorName.ToolOutsideWorkspace,
    `${JSON.stringify(path)} leaves the workspace (${field}: ${reason}). Paths are relative to the ` +
      `workspace root (src/a.js) or under ${WORKSPACE_ROOT}/ (${WORKSPACE_ROOT}/src/a.js).`,
  );
}

function withoutWorkspaceRoot(path: string): string {
  if (path === WORKSPACE_ROOT) return '';
  return path.startsWith(`${WORKSPACE_ROOT}/`) ? path.slice(WORKSPACE_ROOT.length + 1) : path;
}

/** A path a file tool reads or writes: inside the workspace and not its root. */
export function filePath(field: string, path: string): string {
  const relative = toolPath(field, path);
  if (relative === '') {
    throw new ToolFailure(ErrorName.ToolInvalidInput, `${field}: names the workspace root, not a file`);
  }
  return relative;
}

/** How a path is shown to the model: `src/a.js`, or `/workspace` for the root. */
export function shown(path: string): string {
  return path === '' ? WORKSPACE_ROOT : path;
}

/**
 * Paths of `file_ops` steps. Every path is relative to the tenant's workspace, the S3 prefix
 * `tenants/{tenant}/workspace/`; a path that could leave it (`..`, an absolute path, a drive letter, a
 * backslash) is refused: at load time when written literally, by the step runner when a template
 * produced it. `.` (or an empty path) is the workspace itself.
 */

/** S3 keys are at most 1024 bytes; the tenant prefix takes its share of that. */
const MAX_PATH_BYTES = 900;

/**
 * What is wrong with a workspace path, or undefined when it is safe.
 *
 * @example
 * workspacePathProblem('../secrets.txt'); // 'a workspace path cannot contain ".." …'
 */
export function workspacePathProblem(path: string): string | undefined {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    return `"${path}" is absolute; file_ops paths are relative to the workspace (tenants/{tenant}/workspace/), e.g. data/input.csv`;
  }
  if (path.includes('\\')) return `"${path}" holds a backslash; separate folders with "/"`;
  if (path.split('/').includes('..')) {
    return `"${path}" contains "..": a workspace path cannot leave the workspace; write a path inside it, e.g. data/input.csv`;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
  if (/[\u0000-\u001f\u007f]/.test(path)) return `"${JSON.stringify(path)}" holds a control character`;
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES)
    return `the path is longer than ${MAX_PATH_BYTES} bytes`;
  return undefined;
}

/**
 * The path in canonical form: `./` segments and repeated or trailing slashes dropped; the
 * workspace itself is `''`. Call only on a path {@link workspacePathProblem} accepted.
 *
 * @example
 * normalizeWorkspacePath('./reports//q1/'); // 'reports/q1'
 */
export function normalizeWorkspacePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

import { normalizeWorkspacePath } from '../../pipelines/workspace-paths.js';

/**
 * Paths inside a workspace: relative POSIX paths of a repository's files (`src/median.js`). Archive
 * entries, snapshot files and the paths an agent's tools name are all checked here, so a path can
 * never leave the workspace, nor the user's folder when a change set is applied to it.
 */

/** S3 keys are at most 1024 bytes; the tenant and workspace prefixes take their share of that. */
const MAX_PATH_BYTES = 900;

/**
 * What makes `path` unusable as a workspace path, or undefined when it is safe. `./` segments and
 * repeated slashes are allowed (archives often hold `./src/a.js`); `normalizeWorkspacePath`
 * (`pipelines/workspace-paths.ts`) drops them.
 *
 * @example
 * repositoryPathProblem('../secrets.txt'); // '"../secrets.txt" contains ".." …'
 */
export function repositoryPathProblem(path: string): string | undefined {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    return `"${path}" is absolute; workspace paths are relative to the repository's top folder, e.g. src/index.ts`;
  }
  if (path.includes('\\')) return `"${path}" holds a backslash; separate folders with "/"`;
  if (path.split('/').includes('..')) {
    return `"${path}" contains "..", which would leave the repository; name a path inside it, e.g. src/index.ts`;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
  if (/[\u0000-\u001f\u007f]/.test(path)) return `${JSON.stringify(path)} holds a control character`;
  if (normalizeWorkspacePath(path) === '') return `"${path}" names the repository itself, not a file in it`;
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) {
    return `"${path.slice(0, 60)}…" is longer than ${MAX_PATH_BYTES} bytes`;
  }
  return undefined;
}

/**
 * What makes `path` unusable for a file a run writes or deletes, or undefined when it may. Besides
 * {@link repositoryPathProblem}, git's own folder is refused: a change set applied to the user's
 * folder must never plant a hook in `.git/hooks/` (any case, for case-insensitive file systems).
 */
export function writablePathProblem(path: string): string | undefined {
  const problem = repositoryPathProblem(path);
  if (problem !== undefined) return problem;
  if (path.split('/').some((segment) => segment.toLowerCase() === '.git')) {
    return `"${path}" is inside .git, git's own folder; a run changes the working tree only`;
  }
  return undefined;
}

/** Orders paths by UTF-16 code units, as canonical JSON orders keys: the manifest's one order. */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * A path of `paths` that is also a folder of another one (`src` beside `src/a.js`), or undefined.
 * A tree cannot hold both; an archive can, so its entries are checked with this.
 */
export function fileFolderClash(paths: ReadonlySet<string>): { file: string; inside: string } | undefined {
  for (const path of paths) {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      if (paths.has(folder)) return { file: folder, inside: path };
    }
  }
  return undefined;
}

import { z } from 'zod';
import { shown, toolPath } from './paths.js';
import { toolGlob } from './patterns.js';
import { defineTool } from './tool.js';
import { folderScope, relativeTo } from './workspace-view.js';

/** Most paths one Glob call returns: a listing of a whole repository would flood the context. */
export const MAX_GLOB_RESULTS = 200;

/**
 * `Glob {pattern, path?}`: the workspace paths under `path` (the root by default) whose path
 * relative to it matches the pattern, sorted, at most {@link MAX_GLOB_RESULTS} with a note saying
 * how many more matched.
 */
export const globTool = defineTool({
  name: 'Glob',
  description:
    'Find files of the workspace (/workspace) by glob pattern (** crosses folders, e.g. src/**/*.ts). ' +
    `Returns workspace-relative paths, sorted, at most ${MAX_GLOB_RESULTS}.`,
  schema: z.object({
    pattern: z.string().describe('Glob matched against paths relative to path'),
    path: z.string().optional().describe('Folder to search in (default: the workspace root)'),
  }),
  run: async ({ pattern, path }, files) => {
    const folderPath = toolPath('path', path ?? '');
    const matches = toolGlob('pattern', pattern);
    const { folder, paths } = await folderScope(files, 'path', folderPath);
    const found = paths.filter((candidate) => matches(relativeTo(folder, candidate)));
    if (found.length === 0)
      return { content: `No files match ${JSON.stringify(pattern)} in ${shown(folder)}.` };
    const listed = found.slice(0, MAX_GLOB_RESULTS);
    if (found.length > listed.length) {
      listed.push(`[${listed.length} of ${found.length} paths shown; narrow the pattern or path]`);
    }
    return { content: listed.join('\n') };
  },
});

import { z } from 'zod';
import { shown, toolPath } from './paths.js';
import { defineTool } from './tool.js';
import { folderScope, relativeTo } from './workspace-view.js';

/** Most entries one LS call returns. */
export const MAX_LS_ENTRIES = 500;

/** `LS {path?}`: the names directly under a folder (the root by default), sorted, folders ending in `/`. */
export const lsTool = defineTool({
  name: 'LS',
  description:
    'List the files and folders directly under a folder of the workspace (/workspace); folders end in /.',
  schema: z.object({
    path: z.string().optional().describe('Folder to list (default: the workspace root)'),
  }),
  run: async ({ path }, files) => {
    const { folder, paths } = await folderScope(files, 'path', toolPath('path', path ?? ''));
    if (paths.length === 0) return { content: `${shown(folder)} is empty.` };
    const entries = new Set<string>();
    for (const file of paths) {
      const rest = relativeTo(folder, file);
      const slash = rest.indexOf('/');
      entries.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    const sorted = [...entries].sort();
    const listed = sorted.slice(0, MAX_LS_ENTRIES);
    if (sorted.length > listed.length) {
      listed.push(`[${listed.length} of ${sorted.length} entries shown; list a subfolder or use Glob]`);
    }
    return { content: listed.join('\n') };
  },
});

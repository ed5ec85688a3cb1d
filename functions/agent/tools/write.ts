import { z } from 'zod';
import { filePath } from './paths.js';
import { counted, linesOf } from './text.js';
import { defineTool } from './tool.js';
import { assertWritable } from './workspace-view.js';

/** `Write {file_path, content}`: creates or replaces the file in the run's change set. */
export const writeTool = defineTool({
  name: 'Write',
  description: 'Create a file of the workspace (/workspace), or replace its whole content.',
  schema: z.object({
    file_path: z.string().describe('Path relative to /workspace, or absolute under /workspace/'),
    content: z.string().describe('The complete new content'),
  }),
  run: async ({ file_path, content }, files) => {
    const path = filePath('file_path', file_path);
    const before = await files.read(path);
    if (before === content) return { content: `${path} already holds this content; nothing changed.` };
    if (before === undefined) await assertWritable(files, path);
    await files.write(path, content);
    const verb = before === undefined ? 'Created' : 'Replaced';
    return { content: `${verb} ${path} (${counted(linesOf(content).length, 'line')}).`, changedPath: path };
  },
});

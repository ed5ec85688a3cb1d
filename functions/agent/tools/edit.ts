import { z } from 'zod';
import { ErrorName } from '../../../pipelines/contract/errors.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';
import { filePath } from './paths.js';
import { counted } from './text.js';
import { defineTool, ToolFailure, type ToolOutput } from './tool.js';
import { assertWritable, readExisting } from './workspace-view.js';

/**
 * `Edit {file_path, old_string, new_string, replace_all?}`, as Claude Code: replaces the one
 * occurrence of `old_string`, or every one with `replace_all`. An `old_string` that is absent, that
 * occurs more than once without `replace_all`, or that equals `new_string` is a tool error, so the
 * model learns its edit did not land. An empty `old_string` creates a file that does not exist yet.
 */
export const editTool = defineTool({
  name: 'Edit',
  description:
    'Replace exact text in a file of the workspace (/workspace). old_string must occur exactly once ' +
    'unless replace_all is true; include enough surrounding lines to make it unique.',
  schema: z.object({
    file_path: z.string().describe('Path relative to /workspace, or absolute under /workspace/'),
    old_string: z.string().describe('Exact text to replace, whitespace included'),
    new_string: z.string().describe('Text to put in its place'),
    replace_all: z.boolean().optional().describe('Replace every occurrence (default false)'),
  }),
  run: async ({ file_path, old_string, new_string, replace_all }, files) => {
    const path = filePath('file_path', file_path);
    if (old_string === new_string) {
      throw new ToolFailure(
        ErrorName.ToolInvalidInput,
        'new_string: is the same as old_string; nothing would change',
      );
    }
    if (old_string === '') return createFile(files, path, new_string);
    const content = await readExisting(files, path);
    const parts = content.split(old_string);
    const occurrences = parts.length - 1;
    if (occurrences === 0) {
      throw new ToolFailure(
        ErrorName.ToolInvalidInput,
        `old_string: not found in ${path}; Read the file and copy the text exactly, whitespace included`,
      );
    }
    if (occurrences > 1 && replace_all !== true) {
      throw new ToolFailure(
        ErrorName.ToolInvalidInput,
        `old_string: found ${occurrences} matches in ${path}, but replace_all is false. Set replace_all ` +
          'to true to replace every one, or add surrounding lines to old_string to pick one.',
      );
    }
    // split/join, not String.replace: `$&` and `$1` in new_string are text, not replacement patterns.
    await files.write(path, parts.join(new_string));
    return { content: `Edited ${path}: replaced ${counted(occurrences, 'occurrence')}.`, changedPath: path };
  },
});

/** Claude Code's Edit with an empty `old_string`: a new file holding `new_string`. */
async function createFile(files: WorkspaceFiles, path: string, content: string): Promise<ToolOutput> {
  if ((await files.read(path)) !== undefined) {
    throw new ToolFailure(
      ErrorName.ToolInvalidInput,
      `old_string: is empty, which creates a file, but ${path} exists; give the text to replace`,
    );
  }
  await assertWritable(files, path);
  await files.write(path, content);
  return { content: `Created ${path}.`, changedPath: path };
}

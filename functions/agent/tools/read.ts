import { z } from 'zod';
import { ErrorName } from '../../../pipelines/contract/errors.js';
import { filePath } from './paths.js';
import { linesOf, shownLine } from './text.js';
import { defineTool, ToolFailure } from './tool.js';
import { readExisting } from './workspace-view.js';

/** Lines Read returns when the call sets no limit, as Claude Code. */
export const DEFAULT_READ_LIMIT = 2000;

/**
 * `Read {file_path, offset?, limit?}`: the file's lines numbered as `cat -n` prints them (the
 * number right-aligned in six columns, a tab, the line), from line `offset` (1-based; 0 is read as 1,
 * as Claude Code does) for `limit` lines, with a note when lines are left unread.
 */
export const readTool = defineTool({
  name: 'Read',
  description:
    'Read a file of the workspace (/workspace). Returns its lines numbered like cat -n, ' +
    `at most ${DEFAULT_READ_LIMIT} from offset unless limit says otherwise; long lines are cut.`,
  schema: z.object({
    file_path: z.string().describe('Path relative to /workspace, or absolute under /workspace/'),
    offset: z.number().int().nonnegative().optional().describe('First line to read, 1-based'),
    limit: z.number().int().positive().optional().describe('How many lines to read'),
  }),
  run: async ({ file_path, offset, limit }, files) => {
    const path = filePath('file_path', file_path);
    const content = await readExisting(files, path);
    const lines = linesOf(content);
    if (lines.length === 0) return { content: `[${path} is empty]` };
    const first = Math.max(offset ?? 1, 1);
    if (first > lines.length) {
      throw new ToolFailure(
        ErrorName.ToolInvalidInput,
        `offset: ${first} is past the end of ${path}, which has ${lines.length} lines`,
      );
    }
    const shownLines = lines.slice(first - 1, first - 1 + (limit ?? DEFAULT_READ_LIMIT));
    const numbered = shownLines.map((line, i) => `${String(first + i).padStart(6)}\t${shownLine(line)}`);
    const last = first - 1 + shownLines.length;
    if (last < lines.length) {
      numbered.push(`[lines ${first}–${last} of ${lines.length} shown; read on with offset ${last + 1}]`);
    }
    return { content: numbered.join('\n') };
  },
});

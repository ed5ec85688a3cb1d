import { z } from 'zod';
import { ErrorName } from '../../../pipelines/contract/errors.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';
import type { PathMatcher } from '../../steps/files/glob.js';
import { shown, toolPath } from './paths.js';
import { toolGlob } from './patterns.js';
import { counted, linesOf, shownLine } from './text.js';
import { defineTool, ToolFailure } from './tool.js';
import { relativeTo, scopeOf } from './workspace-view.js';

/** Most files (or matching lines, in content mode) one Grep call returns. */
export const MAX_GREP_RESULTS = 200;

/**
 * How much of one file, and of all files together, one Grep call hands the regular expression, in
 * characters. JavaScript's RegExp backtracks, so a pattern such as `(a+)+b` can take time that grows
 * steeply with the text it is tried on; these caps bound that text (the search is also line by line)
 * so a pathological pattern over a large workspace cannot run for the rest of the step. They do not
 * make an exponential pattern fast on one long line: there the step's timeout is the bound. A
 * linear-time engine would remove that case but needs a native module (RE2) or a process-wide V8
 * flag (its experimental engine), so the caps are the choice here. Each cap is reported to the model.
 */
export const MAX_SCANNED_PER_FILE = 256 * 1024;
export const MAX_SCANNED_TOTAL = 8 * 1024 * 1024;

const OUTPUT_MODES = ['files_with_matches', 'content', 'count'] as const;
type OutputMode = (typeof OUTPUT_MODES)[number];

/**
 * `Grep {pattern, path?, glob?, output_mode?, -i?}`, as Claude Code's ripgrep tool: the files under
 * `path` (a folder, the root by default, or one file) whose lines match the JavaScript regular
 * expression, as a list of paths (`files_with_matches`, the default), `path:line:text` lines
 * (`content`) or `path:count` lines (`count`). `glob` keeps the files it matches, as ripgrep's
 * `--glob`: a glob without `/` is matched against the file's name, one with `/` against its path
 * relative to `path`. Files holding NUL are taken as binary and skipped, as ripgrep does.
 */
export const grepTool = defineTool({
  name: 'Grep',
  description:
    'Search file contents of the workspace (/workspace) with a JavaScript regular expression, line by line. ' +
    `Returns matching file paths, or path:line:text with output_mode "content"; at most ${MAX_GREP_RESULTS}.`,
  schema: z.object({
    pattern: z.string().describe('JavaScript regular expression'),
    path: z.string().optional().describe('File or folder to search (default: the workspace root)'),
    glob: z.string().optional().describe('Only files matching this glob, e.g. *.js or src/**/*.ts'),
    output_mode: z.enum(OUTPUT_MODES).optional().describe('Default files_with_matches'),
    '-i': z.boolean().optional().describe('Case-insensitive'),
  }),
  run: async (input, files) => {
    const searched = toolPath('path', input.path ?? '');
    const regex = compiled(input.pattern, input['-i'] === true);
    const keep = input.glob === undefined ? () => true : fileFilter(input.glob);
    const scope = await scopeOf(files, searched);
    const candidates =
      scope.kind === 'file'
        ? [scope.path] // as ripgrep: a file named outright is searched whatever the glob
        : scope.paths.filter((path) => keep(relativeTo(scope.folder, path)));
    const search = new Search(regex, input.output_mode ?? 'files_with_matches');
    await search.scanAll(files, candidates);
    return { content: search.report(input.pattern, shown(searched)) };
  },
});

function compiled(pattern: string, ignoreCase: boolean): RegExp {
  try {
    return new RegExp(pattern, ignoreCase ? 'i' : '');
  } catch (error) {
    throw new ToolFailure(ErrorName.ToolInvalidInput, `pattern: ${(error as Error).message}`);
  }
}

function fileFilter(glob: string): PathMatcher {
  const matches = toolGlob('glob', glob);
  return glob.includes('/') ? matches : (path) => matches(path.slice(path.lastIndexOf('/') + 1));
}

/** One Grep call's results as the files are scanned, and what the caps left out. */
class Search {
  private readonly results: string[] = [];
  private readonly cutFiles: string[] = [];
  private unsearchedFiles = 0;
  private scanned = 0;

  constructor(
    private readonly regex: RegExp,
    private readonly mode: OutputMode,
  ) {}

  /**
   * Scans the files in order until one result more than the cap is found (so the report can say
   * more matched) or the next file would take the scan past {@link MAX_SCANNED_TOTAL}: a file is
   * searched (up to {@link MAX_SCANNED_PER_FILE}) or not at all.
   */
  async scanAll(files: WorkspaceFiles, paths: readonly string[]): Promise<void> {
    for (const [index, path] of paths.entries()) {
      if (this.full()) return;
      const content = await files.read(path);
      if (content === undefined) continue;
      const text = content.slice(0, MAX_SCANNED_PER_FILE);
      if (this.scanned + text.length > MAX_SCANNED_TOTAL) {
        this.unsearchedFiles = paths.length - index;
        return;
      }
      this.scanned += text.length;
      if (text.length < content.length) this.cutFiles.push(path);
      this.scan(path, text);
    }
  }

  private full(): boolean {
    return this.results.length > MAX_GREP_RESULTS;
  }

  private scan(path: string, text: string): void {
    if (text.includes('\u0000')) return;
    const lines = linesOf(text);
    if (this.mode === 'files_with_matches') {
      if (lines.some((line) => this.regex.test(line))) this.results.push(path);
    } else if (this.mode === 'count') {
      const count = lines.filter((line) => this.regex.test(line)).length;
      if (count > 0) this.results.push(`${path}:${count}`);
    } else {
      for (const [index, line] of lines.entries()) {
        if (this.full()) return;
        if (this.regex.test(line)) this.results.push(`${path}:${index + 1}:${shownLine(line)}`);
      }
    }
  }

  report(pattern: string, where: string): string {
    const lines = this.results.slice(0, MAX_GREP_RESULTS);
    if (lines.length === 0) lines.push(`No matches for ${JSON.stringify(pattern)} in ${where}.`);
    if (this.full()) {
      const unit = this.mode === 'content' ? 'matching lines' : 'files';
      lines.push(`[stopped at ${MAX_GREP_RESULTS} ${unit}; narrow the pattern, path or glob]`);
    }
    if (this.cutFiles.length > 0) {
      const named = this.cutFiles.slice(0, 5).join(', ') + (this.cutFiles.length > 5 ? ', …' : '');
      lines.push(
        `[only the first ${MAX_SCANNED_PER_FILE} characters of ${counted(this.cutFiles.length, 'file')} were searched: ${named}]`,
      );
    }
    if (this.unsearchedFiles > 0) {
      lines.push(
        `[search stopped after ${this.scanned} characters; ${counted(this.unsearchedFiles, 'file')} ` +
          'not searched; narrow path or glob]',
      );
    }
    return lines.join('\n');
  }
}

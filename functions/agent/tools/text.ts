/** Longest line a tool shows in full, as Claude Code's Read: minified code would flood the context. */
export const MAX_LINE_LENGTH = 2000;

/**
 * A file's lines, as `cat -n` numbers them: `\n` or `\r\n` ends a line, and a final line ending
 * does not start another line (`"a\nb\n"` has two lines; `""` has none).
 */
export function linesOf(content: string): string[] {
  if (content === '') return [];
  const lines = content.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The line, cut at {@link MAX_LINE_LENGTH} with a marker saying how long it was. */
export function shownLine(line: string): string {
  if (line.length <= MAX_LINE_LENGTH) return line;
  return `${line.slice(0, MAX_LINE_LENGTH)}… [line cut at ${MAX_LINE_LENGTH} of ${line.length} characters]`;
}

/** `1 line`, `3 lines`. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Glob patterns of `file_ops` list, matched against paths relative to the listed folder: `*` and `?`
 * stay inside one folder, `**` crosses folders (`**\/*.json` matches at any depth, the top included),
 * `{a,b}` is either alternative. Every other character matches itself.
 *
 * @example
 * globToRegExp('reports/**\/*.{csv,json}').test('reports/2026/q1.csv'); // true
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  return new RegExp(`^${source}${')'.repeat(braces)}$`);
}

import picomatch from 'picomatch';

/**
 * The glob language of `file_ops` list is `*`, `?`, `**` and `{a,b}`; picomatch's other syntax
 * (brackets, extglobs, negation, quoting, backslash escapes, regex groups) would read characters that
 * the pipeline language promises match themselves, so those characters are escaped before picomatch
 * sees them and the rest is switched off.
 */
const LITERAL = /[\\()|[\]!+@'"]/g;

const OPTIONS: picomatch.PicomatchOptions = {
  dot: true, // `*` and `**` match names starting with a dot, as they always have here
  windows: false, // paths are S3 keys: `/` is the only separator, whatever the host
  nobracket: true,
  noextglob: true,
  nonegate: true,
  keepQuotes: true,
  // `{1..3}` is not a range in this language: it matches the text `1..3`.
  expandRange: (...parts: unknown[]) =>
    parts
      .filter((part): part is string => typeof part === 'string')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('\\.\\.'),
};

/**
 * Glob patterns of `file_ops` list, matched against paths relative to the listed folder: `*` and `?`
 * stay inside one folder, `**` crosses folders (`**\/*.json` matches at any depth, the top included),
 * `{a,b}` is either alternative. Every other character matches itself. Case counts, and names that
 * start with a dot match like any other.
 *
 * picomatch builds the expression: a hand-written translation turned each `**\/` into `(?:.*\/)?`,
 * and ten of them took 23 s to reject one 60-character path. A pattern is still a regular expression,
 * so many `*` inside one folder name (`*a*a*a*a*a*a*b`) stay slow on long names.
 *
 * @example
 * globToRegExp('reports/**\/*.{csv,json}').test('reports/2026/q1.csv'); // true
 */
export function globToRegExp(pattern: string): RegExp {
  return picomatch.makeRe(pattern.replace(LITERAL, '\\$&'), OPTIONS);
}

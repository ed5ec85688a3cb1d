import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expandBraces,
  globMatcher,
  MAX_ALTERNATIVES,
  MAX_EXPANDED_LENGTH,
  MAX_GLOB_LENGTH,
} from '../../../../../functions/steps/files/glob.js';
import { ErrorName } from '../../../../../pipelines/contract/errors.js';

describe('globMatcher', () => {
  it.each([
    ['*', 'a.json', true],
    ['*', 'sub/a.json', false],
    ['*.json', 'a.json', true],
    ['*.json', 'a.jsonl', false],
    ['**/*.json', 'a.json', true],
    ['**/*.json', 'x/y/a.json', true],
    ['reports/**', 'reports/q1/a.csv', true],
    ['?.txt', 'a.txt', true],
    ['?.txt', 'ab.txt', false],
    ['*.{csv,json}', 'a.csv', true],
    ['*.{csv,json}', 'a.yaml', false],
    ['a+b(1).txt', 'a+b(1).txt', true],
    ['**/*.{csv,json}', 'out/2026/q1.json', true],
    ['**/*.{csv,json}', 'out/2026/q1.yaml', false],
    ['x/**/y', 'x/y', true],
    ['x/**/y', 'x/a/b/y', true],
    ['*', '.hidden', true],
    ['**/*.json', '.cache/a.json', true],
    ['*.JSON', 'a.json', false],
    ['[ab].txt', '[ab].txt', true],
    ['[ab].txt', 'a.txt', false],
    ['!a.txt', '!a.txt', true],
    ['!a.txt', 'b.txt', false],
    ['(a|b).txt', '(a|b).txt', true],
    ['(a|b).txt', 'a.txt', false],
    ['+(a).txt', '+(a).txt', true],
    ['"a".txt', '"a".txt', true],
    ['"a".txt', 'a.txt', false],
    ['v{1..3}', 'v1..3', true],
    ['v{1..3}', 'v2', false],
  ])('%s matches %s: %s', (pattern, path, matches) => {
    expect(globMatcher(pattern)(path)).toBe(matches);
  });

  it('rejects a path against many `**` segments without exponential backtracking', () => {
    // Ten `**/` before a name the path lacks: the hand-written translation took 23 s on this.
    const pattern = `${'**/'.repeat(10)}b`;
    const path = `${'a/'.repeat(29)}cc`;
    expect(path).toHaveLength(60);
    expect(globMatcher(pattern)(path)).toBe(false);
    expect(globMatcher(pattern)(`${path}/b`)).toBe(true);
  });

  it('rejects a long name against many `*` without backtracking', () => {
    // picomatch's expressions took 11.7 s on a 64-character name for this pattern, and 76 s for
    // `*a*a*a*b` on 1024 characters; the matcher does not backtrack, so this is immediate.
    const name = 'a'.repeat(1024);
    expect(globMatcher('*a*a*a*a*a*a*b')(name)).toBe(false);
    expect(globMatcher('*a*a*a*b')(name)).toBe(false);
    expect(globMatcher('*a*a*a*a*a*a*b')(`${name}b`)).toBe(true);
    expect(globMatcher(`*${'a'.repeat(500)}c*`)(name)).toBe(false);
    expect(globMatcher(`**/${'*a'.repeat(6)}*b/**`)(`x/${name}/y`)).toBe(false);
  });

  // Every pattern against every path, as picomatch (the matcher this one replaced) answered.
  const PATHS = [
    'a.json',
    'a.jsonl',
    'q1.csv',
    'Q1.CSV',
    'notes.txt',
    'notes-v2.txt',
    'doc_final.md',
    'backup.tar.gz',
    'conf.yml',
    '.env',
    '.cache/a.json',
    'cfg/.env',
    'reports/q1.csv',
    'reports/2026/q1.csv',
    'reports/2026/03/q1.json',
    'data/x/raw/a.txt',
    'data/x/y/raw/b.txt',
    'a/b/c',
    'a/x/b/y/c',
    'x/y',
    'x/a/y',
    'logs/app.log',
    'sub/notes-v2.txt',
    'out/2025/a.json',
    'out/2026/deep/b.csv',
    'v1..3',
    'a+b(1).txt',
    '[ab].txt',
    'a b.txt',
  ];
  const allBut = (...paths: string[]) => PATHS.filter((path) => !paths.includes(path));
  it.each<[string, string[]]>([
    [
      '*',
      [
        'a.json',
        'a.jsonl',
        'q1.csv',
        'Q1.CSV',
        'notes.txt',
        'notes-v2.txt',
        'doc_final.md',
        'backup.tar.gz',
        'conf.yml',
        '.env',
        'v1..3',
        'a+b(1).txt',
        '[ab].txt',
        'a b.txt',
      ],
    ],
    ['*.json', ['a.json']],
    ['*.JSON', []],
    ['**', allBut()],
    ['**/*', allBut()],
    ['**/*.json', ['a.json', '.cache/a.json', 'reports/2026/03/q1.json', 'out/2025/a.json']],
    [
      '**/*.{csv,json}',
      [
        'a.json',
        'q1.csv',
        '.cache/a.json',
        'reports/q1.csv',
        'reports/2026/q1.csv',
        'reports/2026/03/q1.json',
        'out/2025/a.json',
        'out/2026/deep/b.csv',
      ],
    ],
    ['*.{csv,json}', ['a.json', 'q1.csv']],
    ['reports/*.csv', ['reports/q1.csv']],
    ['reports/**', ['reports/q1.csv', 'reports/2026/q1.csv', 'reports/2026/03/q1.json']],
    ['reports/**/*.csv', ['reports/q1.csv', 'reports/2026/q1.csv']],
    ['reports/20??/*', ['reports/2026/q1.csv']],
    ['reports/**/q?.*', ['reports/q1.csv', 'reports/2026/q1.csv', 'reports/2026/03/q1.json']],
    ['*/*', ['.cache/a.json', 'cfg/.env', 'reports/q1.csv', 'x/y', 'logs/app.log', 'sub/notes-v2.txt']],
    ['*/*.json', ['.cache/a.json']],
    ['data/*/raw/*.txt', ['data/x/raw/a.txt']],
    ['data/**/raw/*', ['data/x/raw/a.txt', 'data/x/y/raw/b.txt']],
    ['**/raw/**', ['data/x/raw/a.txt', 'data/x/y/raw/b.txt']],
    ['**/.env', ['.env', 'cfg/.env']],
    ['.*', ['.env']],
    ['.cache/**', ['.cache/a.json']],
    ['{a,b}/**', ['a/b/c', 'a/x/b/y/c']],
    ['out/{2025,2026}/**/*.json', ['out/2025/a.json']],
    ['*_final.md', ['doc_final.md']],
    ['**/*-v?.txt', ['notes-v2.txt', 'sub/notes-v2.txt']],
    ['a/**/b/**/c', ['a/b/c', 'a/x/b/y/c']],
    ['x/**/y', ['x/y', 'x/a/y']],
    ['x/*/y', ['x/a/y']],
    ['?1.csv', ['q1.csv']],
    ['*.tar.gz', ['backup.tar.gz']],
    ['**/*.tar.gz', ['backup.tar.gz']],
    ['*.{yaml,yml}', ['conf.yml']],
    ['v{1..3}', ['v1..3']],
    ['[ab].txt', ['[ab].txt']],
    ['a+b(1).txt', ['a+b(1).txt']],
    ['* *', ['a b.txt']],
    ['**/*.*', allBut('a/b/c', 'a/x/b/y/c', 'x/y', 'x/a/y')],
    ['logs/**/*.log', ['logs/app.log']],
    [
      '{reports,out}/**/*.{csv,json}',
      [
        'reports/q1.csv',
        'reports/2026/q1.csv',
        'reports/2026/03/q1.json',
        'out/2025/a.json',
        'out/2026/deep/b.csv',
      ],
    ],
    ['./*.json', ['a.json']],
  ])('%s matches the paths picomatch matched', (pattern, matched) => {
    expect(PATHS.filter(globMatcher(pattern))).toEqual(matched);
  });

  // Where picomatch's answer broke its own rules, this matcher follows the rules in glob.ts.
  it.each([
    ['**{a,b}', 'x/a', false], // `**` inside a name is `*`, as in `**a` (picomatch: true, but false for `**a`)
    ['**.json', 'x/a.json', false], // the same (picomatch: true, but false for `**.{json,csv}`)
    ['*/**', 'a', true], // as `a/**` matches `a` (picomatch: false after a `*` name only)
    ['x/{**,y}/z', 'x/z', true], // as `x/**/z` does (picomatch: false)
    ['{a,b', '{a,b', true], // an unclosed brace is literal (picomatch matched nothing at all)
    ['{1..3,x}', 'x', true], // a comma makes alternatives (picomatch: only the text `1..3..,..x`)
    ['*', 'sub/', false], // a folder marker is not a name (picomatch: true, but false for `a*`)
    ['*/*', '/a', false], // `*` matches a non-empty name (picomatch: true mid-path only)
    ['****.b.', '.bb', false], // the last `.` is literal (picomatch left it a regex wildcard)
    ['.*', '.', true], // `*` may match nothing (picomatch: false)
  ])('%s matches %s: %s (picomatch differed)', (pattern, path, matches) => {
    expect(globMatcher(pattern)(path)).toBe(matches);
  });

  it.each([
    ['a/**', 'a', true],
    ['**', '', true],
    ['**/', 'a/', true],
    ['**', 'a//b', true],
    ['*', '', false],
    ['a/*', 'a/', false],
    ['*/', 'a/', true],
    ['a**b', 'axb', true],
    ['a**b', 'ax/yb', false],
    ['a/**b', 'a/x/b', false],
    ['*', '.', false],
    ['*', '..', false],
    ['**', 'a/./b', false],
    ['a/**/b', 'a/../b', false],
    ['?', '.', true],
    ['..', '..', true],
    ['./a', 'a', true],
    ['./a', './a', false],
    ['{./a,b}', './a', true],
    ['{a}', '{a}', true],
    ['{}', '{}', true],
    ['{,a}', '', true],
    ['{a,b/c}', 'b/c', true],
    ['{**,x}/a', 'x/y/a', true],
    ['a\\*', 'a\\x', true],
    ['a\\*', 'a*', false],
    ['*', 'a\nb', true],
    ['??', '\u{1F600}', true],
  ])('edge: %s matches %j: %s', (pattern, path, matches) => {
    expect(globMatcher(pattern)(path)).toBe(matches);
  });

  it('agrees with a regular-expression reading of its rules on random patterns and paths', () => {
    // Patterns over a small alphabet; paths either random or made from the pattern, so that many match.
    const PIECES: Record<string, readonly string[]> = {
      '*': ['', 'a', 'ab', '.'],
      '**': ['', 'a', 'a/b', '.', '/'],
      '?': ['a', '.', '/'],
      '{a,b}': ['a', 'b', '{a,b}'],
    };
    const piece = (part: string) => fc.constantFrom(...(PIECES[part] ?? [part]));
    const randomPath = fc.array(fc.constantFrom('a', 'b', '/', '.'), { maxLength: 8 }).map((x) => x.join(''));
    const cases = fc
      .array(fc.constantFrom('a', 'b', '/', '.', '*', '?', '**', '{a,b}', '{', '}', ','), {
        minLength: 1,
        maxLength: 8,
      })
      .chain((parts) => {
        const madePath = fc.tuple(...parts.map(piece)).map((x) => x.join(''));
        const paths = fc.array(fc.oneof(randomPath, madePath), { minLength: 1, maxLength: 8 });
        return fc.tuple(fc.constant(parts.join('')), paths);
      });
    fc.assert(
      fc.property(cases, ([glob, paths]) => {
        const matches = globMatcher(glob);
        const reference = regexMatcher(glob);
        for (const path of paths) expect(matches(path), `${glob} against ${path}`).toBe(reference(path));
      }),
      { seed: 20260, numRuns: 500 },
    );
  });
});

describe('expandBraces', () => {
  it.each([
    ['a', ['a']],
    ['{a,b}', ['a', 'b']],
    ['x{a,b}y{1,2}', ['xay1', 'xay2', 'xby1', 'xby2']],
    ['{a,{b,c}}', ['a', 'b', 'c']],
    ['{a,b/c}', ['a', 'b/c']],
    ['{,a}', ['', 'a']],
    ['{a,a}', ['a']],
    ['{a}', ['{a}']],
    ['{}', ['{}']],
    ['{1..3}', ['1..3']],
    ['{x{1..3},y}', ['x1..3', 'y']],
    ['{a,b', ['{a,b']],
    ['a,b}', ['a,b}']],
    ['{a,b}}', ['a}', 'b}']],
    ['{a,{b}', ['{a,{b}']],
  ])('%s is %j', (pattern, alternatives) => {
    expect(expandBraces(pattern)).toEqual(alternatives);
  });

  it(`allows ${MAX_ALTERNATIVES} alternatives and refuses more, naming the pattern`, () => {
    expect(expandBraces('{a,b}'.repeat(8))).toHaveLength(MAX_ALTERNATIVES);
    const pattern = `reports/${'{a,b}'.repeat(9)}.csv`;
    expect(() => globMatcher(pattern)).toThrow(
      expect.objectContaining({
        name: ErrorName.FileInvalidPath,
        message: expect.stringContaining(
          `"${pattern}" expands to more than ${MAX_ALTERNATIVES} alternatives`,
        ),
      }),
    );
    // Nested and comma-separated alternatives count as well.
    expect(() => expandBraces(`{${'a,'.repeat(MAX_ALTERNATIVES)}a}`)).toThrow(/more than 256 alternatives/);
  });

  it('refuses a pattern too long, as written or once expanded', () => {
    expect(() => globMatcher('a'.repeat(MAX_GLOB_LENGTH + 1))).toThrow(
      expect.objectContaining({
        name: ErrorName.FileInvalidPath,
        message: expect.stringContaining('longer than'),
      }),
    );
    expect(() => globMatcher(`${'{a,b}'.repeat(8)}${'x'.repeat(40)}`)).toThrow(
      `expands to more than ${MAX_EXPANDED_LENGTH} characters`,
    );
  });
});

/**
 * The rules of glob.ts as a regular expression over `/` + path, one per alternative: a name glob is
 * `/` and the name, `**` any number of `/name` that are not `.` or `..`. It backtracks, which is fine
 * on these short inputs.
 */
function regexMatcher(pattern: string): (path: string) => boolean {
  let rest = pattern;
  while (rest.startsWith('./')) rest = rest.slice(2);
  const notDots = '(?!\\.{1,2}(?:/|$))';
  const name = (glob: string) => {
    if (glob === '**') return `(?:/${notDots}[^/]*)*`;
    const body = [...glob]
      .map((char) =>
        char === '*' ? '[^/]*' : char === '?' ? '[^/]' : char.replace(/[.{}()|[\]\\^$+]/g, '\\$&'),
      )
      .join('');
    return `/${glob.startsWith('*') ? notDots : ''}${/^\*+$/.test(glob) ? '(?=[^/])' : ''}${body}`;
  };
  const expressions = expandBraces(rest).map((alt) => new RegExp(`^${alt.split('/').map(name).join('')}$`));
  return (path) => expressions.some((expression) => expression.test(`/${path}`));
}

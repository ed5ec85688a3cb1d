import { ErrorName } from '../../../pipelines/contract/errors.js';
import { ElexirionError } from '../../shared/errors.js';

/**
 * Glob patterns of `file_ops` list, matched against paths relative to the listed folder: `*` and `?`
 * stay inside one folder, `**` crosses folders (`**\/*.json` matches at any depth, the top included),
 * `{a,b}` is either alternative. Every other character matches itself. Case counts, and names that
 * start with a dot match like any other.
 *
 * The rules in full. picomatch, the matcher before this one, answers the same on ordinary patterns
 * and workspace paths; where it broke these rules (`**{a,b}` and `**.json` crossed folders while `**a`
 * did not, some patterns took an optional trailing `/`, an unclosed `{` matched nothing) this follows
 * the rules.
 * - `/` is the only separator; a path's names are what lies between its `/`s.
 * - `**` is a folder wildcard only as a whole name of the pattern (`a/**`, `**\/b`, `a/**\/b`): it
 *   matches zero or more names, so `**\/*.json` matches `a.json`, `x/**\/y` matches `x/y` and `a/**`
 *   matches `a`. Inside a name (`a**b`) it is `*`.
 * - `*` matches any run of characters inside a name; a name of only `*` matches one non-empty name.
 *   `?` matches one character (one UTF-16 unit, as before).
 * - The names `.` and `..` (never in a workspace path: those are canonical) are not crossed by `**`
 *   nor matched by a name pattern that starts with `*`; `?`, `.*` and the literal name match them.
 * - `{a,b}` is either alternative and nests; `{}`, `{a}` and an unclosed `{` are literal text.
 *   `{1..3}` is not a range: braces around text holding `..` and no comma match the text, `1..3`.
 * - A leading `./` is dropped: `./a` matches `a`.
 * - Brackets, parentheses, `!`, `+`, `@`, quotes and backslashes are plain characters.
 *
 * No regular expression is built, so nothing backtracks. The braces are expanded first (at most
 * {@link MAX_ALTERNATIVES} alternatives); each alternative is split on `/` and matched name by name
 * with one pass of dynamic programming over (pattern name, path name), `**` spreading over names;
 * inside one name `*` and `?` are matched by the greedy two-pointer wildcard algorithm (Russ Cox,
 * "Glob Matching Can Be Simple And Fast Too"). One path costs O(alternative length × path length)
 * steps per alternative at worst, so at most {@link MAX_EXPANDED_LENGTH} × path length in all. picomatch's
 * regular expressions took 76 s to reject a 1024-character name for `*a*a*a*b` and 12 s a 64-character
 * one for `*a*a*a*a*a*a*b`; this takes microseconds on both. Libraries checked first: picomatch,
 * micromatch, zeptomatch and outmatch compile to regular expressions; minimatch 11 does not backtrack,
 * but reads `{1..3}` as a range and brackets as classes, drops `a/**` matching `a`, and treats more than
 * 200 `**` as no match, so bending it to this language would take as much code as this.
 *
 * @example
 * globMatcher('reports/**\/*.{csv,json}')('reports/2026/q1.csv'); // true
 */
export function globMatcher(pattern: string): PathMatcher {
  const alternatives = expandBraces(withoutDotSlash(pattern)).map(compile);
  return (path) => {
    const names = path.split('/');
    return alternatives.some((segments) => matchNames(segments, names));
  };
}

/** Whether a path matches a glob pattern. */
export type PathMatcher = (path: string) => boolean;

/** Most alternatives a pattern's braces may expand to: `{a,b}` eight times over is 256. */
export const MAX_ALTERNATIVES = 256;

/** Most characters a pattern may hold. */
export const MAX_GLOB_LENGTH = 4096;

/** Most characters its alternatives may hold together once a pattern's braces are expanded. */
export const MAX_EXPANDED_LENGTH = 8192;

/** One name of a pattern alternative: `**`, or a name glob of literal characters, `*` and `?`. */
type Segment = typeof GLOBSTAR | NameGlob;

const GLOBSTAR = Symbol('**');

interface NameGlob {
  readonly glob: string;
  /** No `*` or `?`: the name must equal the glob. */
  readonly literal: boolean;
  /** Starts with `*`: never matches `.` or `..`. */
  readonly leadingStar: boolean;
  /** Only `*`: any name but an empty one. */
  readonly onlyStars: boolean;
  /** Where the first `*` is and where the text after the last one starts; -1 without a `*`. */
  readonly firstStar: number;
  readonly afterLastStar: number;
  /** How many characters a name needs at least: those of the glob that are not `*`. */
  readonly minLength: number;
}

function withoutDotSlash(pattern: string): string {
  let rest = pattern;
  while (rest.startsWith('./')) rest = rest.slice(2);
  return rest;
}

function compile(alternative: string): Segment[] {
  const segments: Segment[] = [];
  for (const glob of alternative.split('/')) {
    if (glob === '**') {
      if (segments.at(-1) !== GLOBSTAR) segments.push(GLOBSTAR); // `**/**` is `**`
      continue;
    }
    const firstStar = glob.indexOf('*');
    segments.push({
      glob,
      literal: !/[*?]/.test(glob),
      leadingStar: firstStar === 0,
      onlyStars: /^\*+$/.test(glob),
      firstStar,
      afterLastStar: firstStar < 0 ? -1 : glob.lastIndexOf('*') + 1,
      minLength: glob.replaceAll('*', '').length,
    });
  }
  return segments;
}

/**
 * Whether the segments match the path's names: `reach[j]` says the segments so far match the first
 * `j` names. A name glob moves each reached place one name on; `**` spreads it over the names after
 * it, up to a `.` or `..`. O(segments × names) places, each name glob tried once per place.
 */
function matchNames(segments: readonly Segment[], names: readonly string[]): boolean {
  let reach = new Uint8Array(names.length + 1);
  reach[0] = 1;
  for (const segment of segments) {
    const next = new Uint8Array(names.length + 1);
    let reached = false;
    if (segment === GLOBSTAR) {
      let open = false;
      for (let j = 0; j <= names.length; j++) {
        if (reach[j] === 1) open = true;
        if (open) {
          next[j] = 1;
          reached = true;
          if (j < names.length && isDotName(names[j] as string)) open = false;
        }
      }
    } else {
      for (let j = 0; j < names.length; j++) {
        if (reach[j] === 1 && matchName(segment, names[j] as string)) {
          next[j + 1] = 1;
          reached = true;
        }
      }
    }
    if (!reached) return false;
    reach = next;
  }
  return reach[names.length] === 1;
}

function isDotName(name: string): boolean {
  return name === '.' || name === '..';
}

function matchName(segment: NameGlob, name: string): boolean {
  const { glob, firstStar, afterLastStar } = segment;
  if (segment.literal) return glob === name;
  if (segment.leadingStar && isDotName(name)) return false;
  if (segment.onlyStars) return name !== '';
  if (firstStar < 0) return name.length === glob.length && sameChars(glob, 0, name, 0, glob.length);
  if (name.length < segment.minLength) return false;
  // Before the first `*` and after the last one, glob and name agree character by character.
  const tailLength = glob.length - afterLastStar;
  const tailStart = name.length - tailLength;
  return (
    sameChars(glob, 0, name, 0, firstStar) &&
    sameChars(glob, afterLastStar, name, tailStart, tailLength) &&
    matchStars(glob, firstStar, afterLastStar, name, firstStar, tailStart)
  );
}

const STAR = 0x2a; // *
const QUESTION = 0x3f; // ?

/** Whether `length` characters of glob from `g` match those of name from `n`, `?` matching any. */
function sameChars(glob: string, g: number, name: string, n: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const char = glob.charCodeAt(g + i);
    if (char !== QUESTION && char !== name.charCodeAt(n + i)) return false;
  }
  return true;
}

/**
 * `glob[g..gEnd)`, which starts and ends with `*`, against `name[n..nEnd)`, greedily: each `*` first
 * matches nothing, and on a mismatch the last `*` seen takes one more character and matching resumes
 * after it. Only the last `*` ever needs to move (whatever an earlier one could absorb, the later one
 * can), so this is O(glob × name) at worst, and linear unless the glob nearly matches everywhere.
 */
function matchStars(glob: string, g: number, gEnd: number, name: string, n: number, nEnd: number): boolean {
  let star = -1; // index of the last `*` seen in glob
  let resume = 0; // where in name that `*`'s match ends
  while (n < nEnd) {
    const char = g < gEnd ? glob.charCodeAt(g) : -1;
    if (char === STAR) {
      star = g++;
      resume = n;
    } else if (char !== -1 && (char === QUESTION || char === name.charCodeAt(n))) {
      g++;
      n++;
    } else if (star >= 0) {
      g = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (g < gEnd && glob.charCodeAt(g) === STAR) g++;
  return g === gEnd;
}

/** A group of braces while it is read: the alternatives after each comma so far, and the current one. */
interface BraceGroup {
  readonly open: number;
  readonly words: string[];
  current: string[];
  comma: boolean;
  dots: boolean;
}

/**
 * The pattern with its braces written out, each alternative once. A `{` pairs with the next `}` not
 * taken by a `{` after it; one that pairs with none is literal, and so is a `}` that closes nothing.
 * Refuses patterns past {@link MAX_GLOB_LENGTH}, {@link MAX_ALTERNATIVES} or {@link MAX_EXPANDED_LENGTH}.
 */
export function expandBraces(pattern: string): string[] {
  if (pattern.length > MAX_GLOB_LENGTH) {
    throw tooLarge(pattern, `is longer than ${MAX_GLOB_LENGTH} characters`);
  }
  const closes = pairedCloses(pattern);
  const root: BraceGroup = { open: -1, words: [], current: [''], comma: false, dots: false };
  const groups: BraceGroup[] = [root];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    const group = groups.at(-1) as BraceGroup;
    if (char === '{' && closes.has(i)) {
      groups.push({ open: i, words: [], current: [''], comma: false, dots: false });
    } else if (char === '}' && group !== root && closes.get(group.open) === i) {
      groups.pop();
      const parent = groups.at(-1) as BraceGroup;
      const words = group.comma
        ? [...group.words, ...group.current]
        : group.dots
          ? group.current // `{1..3}` is the text `1..3`
          : group.current.map((word) => `{${word}}`);
      parent.current = product(parent.current, words, pattern);
    } else if (char === ',' && group !== root) {
      group.words.push(...group.current);
      if (group.words.length > MAX_ALTERNATIVES) throw tooMany(pattern);
      group.current = [''];
      group.comma = true;
    } else {
      if (char === '.' && pattern[i - 1] === '.') group.dots = true;
      group.current = group.current.map((word) => word + char);
    }
  }
  const alternatives = [...new Set(root.current)];
  const length = alternatives.reduce((sum, alternative) => sum + alternative.length, 0);
  if (length > MAX_EXPANDED_LENGTH) {
    throw tooLarge(pattern, `expands to more than ${MAX_EXPANDED_LENGTH} characters`);
  }
  return alternatives;
}

/** For each `{` that has a partner, the index of its `}`. */
function pairedCloses(pattern: string): Map<number, number> {
  const closes = new Map<number, number>();
  const opens: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '{') opens.push(i);
    else if (pattern[i] === '}' && opens.length > 0) closes.set(opens.pop() as number, i);
  }
  return closes;
}

function product(heads: readonly string[], tails: readonly string[], pattern: string): string[] {
  if (heads.length * tails.length > MAX_ALTERNATIVES) throw tooMany(pattern);
  return heads.flatMap((head) => tails.map((tail) => head + tail));
}

function tooMany(pattern: string): ElexirionError {
  return tooLarge(pattern, `expands to more than ${MAX_ALTERNATIVES} alternatives`);
}

function tooLarge(pattern: string, problem: string): ElexirionError {
  const shown = pattern.length > 120 ? `${pattern.slice(0, 120)}…` : pattern;
  return new ElexirionError(
    ErrorName.FileInvalidPath,
    `pattern "${shown}" ${problem}; write several list steps or a shorter pattern`,
  );
}

import type { ConditionError } from '../contract/condition-ast.js';

/** The kinds of token of the conditions language. */
export type TokenKind =
  | 'number'
  | 'string'
  | 'name'
  | 'dot'
  | 'comma'
  | 'lparen'
  | 'rparen'
  | 'op'
  | 'keyword'
  | 'end';

/** A token with its offsets in the condition text; `value` is the decoded string or number. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value?: string | number;
  readonly start: number;
  readonly end: number;
}

/** Words with a meaning of their own; they cannot start a path. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'or',
  'not',
  'contains',
  'matches',
  'between',
  'true',
  'false',
  'null',
]);

// Longest first, so `>=` is never read as `>` then `=`.
const OPERATORS = ['==', '!=', '>=', '<=', '>', '<', '+', '-', '*', '/', '%'] as const;

/** Operators other languages use, with what to write here instead. */
const FOREIGN_OPERATORS: ReadonlyMap<string, string> = new Map([
  ['&&', 'and'],
  ['||', 'or'],
  ['===', '=='],
  ['!==', '!='],
  ['=', '=='],
  ['!', 'not'],
]);

// A path segment may hold "-" (step names do), so arithmetic needs spaces around "-": `a - 1`.
const NAME_START = /[A-Za-z_@]/;
const NAME_CHAR = /[A-Za-z0-9_@-]/;
const SEGMENT_CHAR = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;

/**
 * Cuts a condition into tokens, the last one `end`. Reports the first character it cannot read
 * and stops there, since every later token would be guesswork.
 *
 * @example
 * tokenize("steps.triage.severity == 'high'").tokens.map((t) => t.text);
 * // ['steps', '.', 'triage', '.', 'severity', '==', "'high'", '']
 */
export function tokenize(text: string): { tokens: Token[]; error?: ConditionError } {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    const start = at;
    // Right after a dot comes a path segment, which may be all digits (`items.0.name`).
    if (tokens.at(-1)?.kind === 'dot' && SEGMENT_CHAR.test(char)) {
      while (at < text.length && SEGMENT_CHAR.test(text[at] as string)) at++;
      tokens.push({ kind: 'name', text: text.slice(start, at), start, end: at });
      continue;
    }
    if (DIGIT.test(char)) {
      while (at < text.length && DIGIT.test(text[at] as string)) at++;
      if (text[at] === '.' && DIGIT.test(text[at + 1] ?? '')) {
        at++;
        while (at < text.length && DIGIT.test(text[at] as string)) at++;
      }
      const raw = text.slice(start, at);
      tokens.push({ kind: 'number', text: raw, value: Number(raw), start, end: at });
      continue;
    }
    if (NAME_START.test(char)) {
      while (at < text.length && NAME_CHAR.test(text[at] as string)) at++;
      const raw = text.slice(start, at);
      tokens.push({ kind: KEYWORDS.has(raw) ? 'keyword' : 'name', text: raw, start, end: at });
      continue;
    }
    if (char === "'" || char === '"') {
      const string = readString(text, start);
      if ('message' in string) return { tokens, error: string };
      tokens.push({ kind: 'string', text: text.slice(start, string.end), ...string, start });
      at = string.end;
      continue;
    }
    const punctuation = { '.': 'dot', ',': 'comma', '(': 'lparen', ')': 'rparen' } as const;
    if (char in punctuation) {
      tokens.push({ kind: punctuation[char as keyof typeof punctuation], text: char, start, end: at + 1 });
      at++;
      continue;
    }
    const foreign = [...FOREIGN_OPERATORS.keys()].find(
      (op) =>
        text.startsWith(op, at) &&
        !OPERATORS.some((own) => own.length >= op.length && text.startsWith(own, at)),
    );
    if (foreign !== undefined) {
      return {
        tokens,
        error: {
          message: `"${foreign}" is not an operator of conditions`,
          hint: `write ${FOREIGN_OPERATORS.get(foreign)}`,
          start,
          end: start + foreign.length,
        },
      };
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, at));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, start, end: at + op.length });
      at += op.length;
      continue;
    }
    return {
      tokens,
      error: {
        message: `unexpected character "${char}"`,
        hint: 'conditions hold paths, literals, operators (== != < <= > >= + - * / %) and words (and or not contains matches between)',
        start,
        end: start + 1,
      },
    };
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return { tokens };
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' };

/**
 * A quoted string starting at `start`: its decoded value and the offset after its closing quote.
 * An unknown escape keeps its backslash, so a regular expression such as `'^v\d+'` reads as written.
 */
function readString(text: string, start: number): { value: string; end: number } | ConditionError {
  const quote = text[start];
  let value = '';
  for (let at = start + 1; at < text.length; at++) {
    const char = text[at] as string;
    if (char === quote) return { value, end: at + 1 };
    if (char === '\\' && at + 1 < text.length) {
      const next = text[at + 1] as string;
      value += ESCAPES[next] ?? `\\${next}`;
      at++;
      continue;
    }
    value += char;
  }
  return { message: 'unclosed string', hint: `end it with ${quote}`, start, end: text.length };
}

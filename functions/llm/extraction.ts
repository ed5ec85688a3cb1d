import type { ExtractionSpec } from '../../pipelines/contract/spec-bundle.js';
import type { PostProcessingOperation } from '../../pipelines/contract/step-options.js';
import { fencedBlocks, markdownPieces } from './markdown-code.js';

/**
 * `claude_extract`'s text extraction (reference §5.7), done deterministically by the step runner on
 * the model's reply: the same reply always gives the same result. pipeline_ex used regex and line
 * heuristics; these are ours, documented per operation.
 */

/** A post-processed answer: the text later steps read, and the fields the operations extracted. */
export interface ExtractedAnswer {
  readonly text: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(.+?)\s*$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/;
const ADVICE = /\b(recommend\w*|should|consider|suggest\w*|best practices?|prefer|avoid|make sure)\b/i;

/**
 * Turns a text reply into the step's result. `format` shapes the text (`markdown`: normalized
 * Markdown; `summary`: a summary of at most `maxSummaryLength` characters; `text`: the reply,
 * trimmed), then each operation runs in order: `format_markdown` reshapes the text, the others add a
 * field (`code_blocks`, `recommendations`, `links`, `key_points`, `summary`). `includeMetadata`
 * adds `extraction_metadata`.
 *
 * @example
 * extractAnswer('See https://x.dev', { format: 'text', postProcessing: ['extract_links'],
 *   maxSummaryLength: 500, includeMetadata: false }).data; // { links: [{ text: 'https://x.dev', url: 'https://x.dev' }] }
 */
export function extractAnswer(raw: string, spec: ExtractionSpec): ExtractedAnswer {
  let text = raw.trim();
  if (spec.format === 'markdown') text = formatMarkdown(text);
  if (spec.format === 'summary') text = summarize(text, spec.maxSummaryLength);
  const fields: Record<string, unknown> = {};
  for (const operation of spec.postProcessing) {
    if (operation === 'format_markdown') text = formatMarkdown(text);
    else Object.assign(fields, extractField(operation, raw, spec.maxSummaryLength));
  }
  if (spec.includeMetadata) {
    fields.extraction_metadata = {
      format: spec.format,
      operations: [...spec.postProcessing],
      raw_length: raw.length,
      processed_length: text.length,
    };
  }
  return Object.keys(fields).length === 0 ? { text } : { text, data: fields };
}

function extractField(
  operation: Exclude<PostProcessingOperation, 'format_markdown'>,
  raw: string,
  maxSummaryLength: number,
): Record<string, unknown> {
  switch (operation) {
    case 'extract_code_blocks':
      return { code_blocks: codeBlocks(raw) };
    case 'extract_recommendations':
      return { recommendations: recommendations(raw) };
    case 'extract_links':
      return { links: links(raw) };
    case 'extract_key_points':
      return { key_points: keyPoints(raw) };
    case 'generate_summary':
      return { summary: summarize(raw, maxSummaryLength) };
  }
}

/** Fenced code blocks, with the language written after the fence (empty when none). */
function codeBlocks(raw: string): { language: string; code: string }[] {
  return fencedBlocks(raw).map(({ language, code }) => ({ language, code }));
}

/** Lines outside code that give advice: list items or sentences with a word such as "should" or "recommend". */
function recommendations(raw: string): string[] {
  const lines = proseLines(raw).map((line) => LIST_ITEM.exec(line)?.[1] ?? line.trim());
  return unique(lines.filter((line) => line !== '' && !HEADING.test(line) && ADVICE.test(line)));
}

/** Markdown links (`[text](url)`) and bare http(s) URLs, in order, each once. */
function links(raw: string): { text: string; url: string }[] {
  const found: { text: string; url: string }[] = [];
  const seen = new Set<string>();
  const pattern = /\[([^\]]*)\]\((https?:\/\/[^)\s]+)\)|(https?:\/\/[^\s)<>\]]+)/g;
  for (const match of raw.matchAll(pattern)) {
    const url = (match[2] ?? match[3] ?? '').replace(/[.,;:!?'"]+$/, '');
    if (url === '' || seen.has(url)) continue;
    seen.add(url);
    found.push({ text: match[1] ?? url, url });
  }
  return found;
}

/** List items outside code; without any, the headings; without those, the first five sentences. */
function keyPoints(raw: string): string[] {
  const lines = proseLines(raw);
  const items = lines.flatMap((line) => LIST_ITEM.exec(line)?.[1] ?? []);
  if (items.length > 0) return unique(items);
  const headings = lines.flatMap((line) => HEADING.exec(line)?.[1] ?? []);
  if (headings.length > 0) return unique(headings);
  return sentences(plainText(raw)).slice(0, 5);
}

/**
 * Whole sentences of the plain text (Markdown marks and code removed) up to `max` characters; when
 * the first sentence alone is longer, it is cut at a word boundary and ends with "…".
 */
function summarize(raw: string, max: number): string {
  let summary = '';
  for (const sentence of sentences(plainText(raw))) {
    const next = summary === '' ? sentence : `${summary} ${sentence}`;
    if (next.length > max) break;
    summary = next;
  }
  if (summary !== '') return summary;
  const text = plainText(raw);
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${space > 0 ? cut.slice(0, space) : cut}…`;
}

/**
 * Markdown normalized: `\n` line ends, no trailing spaces, `-` bullets, a blank line around
 * headings, at most one blank line in a row, none at either end. Code blocks are left as written.
 */
function formatMarkdown(text: string): string {
  const out: string[] = [];
  const asWritten = fencedLines(text);
  let inCode = false; // a ``` fence the lexer left inside a list or quote
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((line, index) => {
      if (asWritten.has(index)) {
        out.push(line);
        return;
      }
      if (/^\s*```/.test(line)) inCode = !inCode;
      if (inCode || /^\s*```/.test(line)) {
        out.push(line);
        return;
      }
      const trimmed = line.replace(/\s+$/, '').replace(/^(\s*)[*+](\s+)/, '$1-$2');
      if (HEADING.test(trimmed)) {
        if (out.length > 0 && out.at(-1) !== '') out.push('');
        out.push(trimmed, '');
      } else if (trimmed !== '' || out.at(-1) !== '') {
        out.push(trimmed);
      }
    });
  return out.join('\n').trim();
}

/** The indexes of the lines of top-level fenced code blocks, fences included. */
function fencedLines(text: string): Set<number> {
  const lines = new Set<number>();
  let line = 0;
  for (const piece of markdownPieces(text)) {
    const breaks = piece.raw.split('\n').length - 1;
    if (piece.fenced) {
      const last = line + piece.raw.replace(/\n$/, '').split('\n').length - 1;
      for (let index = line; index <= last; index++) lines.add(index);
    }
    line += breaks;
  }
  return lines;
}

/** The lines of `raw` outside fenced code blocks. */
function proseLines(raw: string): string[] {
  const pieces = markdownPieces(raw).map((piece) => (piece.fenced ? '\n' : piece.raw));
  return pieces.join('').split('\n');
}

/** The prose as one line: code blocks, headings' marks, list markers, emphasis and link syntax removed. */
function plainText(raw: string): string {
  return proseLines(raw)
    .map((line) => line.replace(HEADING, '$1').replace(LIST_ITEM, '$1'))
    .join(' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Sentences end at `.`, `!` or `?` followed by a space, so a URL's dots do not cut one. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

import { marked, type Token, type Tokens } from 'marked';

/**
 * Fenced code in a model's Markdown reply, found by marked's CommonMark lexer rather than by pattern:
 * a fence is three or more backticks or tildes, and only a fence of the same character at least as long
 * closes it, so a ```` ```` ```` block can show a ```` ``` ```` one, and `~~~` fences count. A fence
 * never closed runs to the end of the reply, as CommonMark reads it.
 */

/** One fenced code block: the info string after the opening fence (trimmed, maybe empty) and its text. */
export interface FencedBlock {
  readonly language: string;
  readonly code: string;
}

/** A top-level stretch of the reply: a fenced code block or anything else, as written. */
export interface MarkdownPiece {
  readonly raw: string;
  readonly fenced: boolean;
}

/** Every fenced code block, those inside lists and quotes included, in reading order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (isFenced(token)) blocks.push({ language: token.lang?.trim() ?? '', code: token.text });
  });
  return blocks;
}

/**
 * The reply cut into top-level pieces that join back into it, line ends made `\n` (as the lexer reads
 * them): a fenced code block is one piece, and what lies between code blocks the others.
 */
export function markdownPieces(markdown: string): MarkdownPiece[] {
  return marked.lexer(markdown).map((token) => ({ raw: token.raw, fenced: isFenced(token) }));
}

function isFenced(token: Token): token is Tokens.Code {
  return token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented';
}

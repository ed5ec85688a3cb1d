import { LineCounter } from 'yaml';
import type { PipelineIssue } from './types.js';

/** A 1-based line and column in a file. */
export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** A `LineCounter` over `source`, as `yaml`'s lexer would have filled it. */
function countLines(source: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = source.indexOf('\n'); at !== -1; at = source.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
  return lines;
}

/** The 1-based line and column of a character offset in `source`. */
export function positionOf(source: string, offset: number): SourcePosition {
  return countLines(source).linePos(offset);
}

/**
 * One issue as the compilers print it: `FILE:LINE:COL: error[CODE]: message`, then the hint on an
 * indented line of its own.
 *
 * @example
 * formatIssue('p.yaml', source, issue);
 * // p.yaml:7:15: error[UNKNOWN_STEP_TYPE]: unknown step type 'claud'
 * //   hint: did you mean 'claude'? supported step types: claude, gemini, set_variable
 */
export function formatIssue(file: string, source: string, issue: PipelineIssue): string {
  return formatWith(countLines(source), file, issue);
}

/** Every issue, one {@link formatIssue} block per issue, joined by newlines. */
export function formatIssues(file: string, source: string, issues: readonly PipelineIssue[]): string {
  const lines = countLines(source);
  return issues.map((issue) => formatWith(lines, file, issue)).join('\n');
}

function formatWith(lines: LineCounter, file: string, issue: PipelineIssue): string {
  const { line, col } = lines.linePos(issue.range[0]);
  const head = `${file}:${line}:${col}: ${issue.severity}[${issue.code}]: ${issue.message}`;
  return issue.hint === undefined ? head : `${head}\n  hint: ${issue.hint}`;
}

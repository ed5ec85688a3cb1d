import type { IssueCode, PipelineIssue } from './types.js';

/** The parts of an error issue that vary; `severity` is always `error`. */
export interface ErrorIssueOptions {
  readonly code: IssueCode;
  readonly message: string;
  readonly hint?: string | undefined;
  readonly path: readonly (string | number)[];
  readonly range: readonly [number, number];
}

/** Builds an error `PipelineIssue`, leaving `hint` out when there is none. */
export function pipelineError({ hint, ...rest }: ErrorIssueOptions): PipelineIssue {
  return hint === undefined || hint === ''
    ? { severity: 'error', ...rest }
    : { severity: 'error', ...rest, hint };
}

/** Orders issues by position in the file, so output reads top to bottom. */
export function sortIssues(issues: readonly PipelineIssue[]): PipelineIssue[] {
  return [...issues].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
}

/** `workflow.steps[1].prompt[0]`: a field path written the way the file reads. */
export function fieldName(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (name, segment) =>
      typeof segment === 'number' ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment,
    '',
  );
}

/** The longest user value an issue message repeats in full; the issue's range points at the whole. */
const MAX_SHOWN_LENGTH = 64;

/**
 * A user-written name as a message quotes it: `'analyse'`, or its start and its length when it is
 * too long to repeat (a 200 KB `type:` must not come back as a 200 KB error).
 *
 * @example
 * shownName('claud'); // "'claud'"
 */
export function shownName(name: string): string {
  return name.length <= MAX_SHOWN_LENGTH
    ? `'${name}'`
    : `'${name.slice(0, MAX_SHOWN_LENGTH)}…' (${name.length} characters)`;
}

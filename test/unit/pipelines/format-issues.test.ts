import { describe, expect, it } from 'vitest';
import { formatIssue, formatIssues, positionOf } from '../../../pipelines/format-issues.js';
import type { PipelineIssue } from '../../../pipelines/types.js';

const SOURCE = 'workflow:\n  name: demo\n  steps:\n    - type: claud\n';

const issue = (overrides: Partial<PipelineIssue>): PipelineIssue => ({
  code: 'UNKNOWN_STEP_TYPE',
  severity: 'error',
  message: "unknown step type 'claud'",
  path: ['workflow', 'steps', 0, 'type'],
  range: [SOURCE.indexOf('claud'), SOURCE.indexOf('claud') + 5],
  ...overrides,
});

describe('positionOf', () => {
  it.each([
    [0, 1, 1],
    [9, 1, 10],
    [10, 2, 1],
    [SOURCE.indexOf('demo'), 2, 9],
    [SOURCE.length, 5, 1],
  ])('maps offset %i to %i:%i', (offset, line, col) => {
    expect(positionOf(SOURCE, offset)).toEqual({ line, col });
  });

  it('counts columns after a CRLF line break from the next line start', () => {
    expect(positionOf('a: 1\r\nb: 2\r\n', 6)).toEqual({ line: 2, col: 1 });
  });
});

describe('formatIssue', () => {
  it('prints FILE:LINE:COL, the severity and code, the message, then the hint indented', () => {
    // Act
    const text = formatIssue('p.yaml', SOURCE, issue({ hint: "did you mean 'claude'?" }));

    // Assess
    expect(text).toBe(
      "p.yaml:4:13: error[UNKNOWN_STEP_TYPE]: unknown step type 'claud'\n  hint: did you mean 'claude'?",
    );
  });

  it('prints one line when there is no hint, and the warning severity as is', () => {
    const text = formatIssue(
      'p.yaml',
      SOURCE,
      issue({ severity: 'warning', code: 'YAML_SYNTAX', message: 'odd' }),
    );
    expect(text).toBe('p.yaml:4:13: warning[YAML_SYNTAX]: odd');
  });
});

describe('formatIssues', () => {
  it('prints each issue in order, one block after the other', () => {
    const issues = [
      issue({ range: [0, 0], message: 'first' }),
      issue({ range: [12, 16], message: 'second' }),
    ];
    expect(formatIssues('p.yaml', SOURCE, issues).split('\n')).toEqual([
      'p.yaml:1:1: error[UNKNOWN_STEP_TYPE]: first',
      'p.yaml:2:3: error[UNKNOWN_STEP_TYPE]: second',
    ]);
  });
});

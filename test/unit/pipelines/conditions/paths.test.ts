import { describe, expect, it } from 'vitest';
import { compileCondition, compileExpression } from '../../../../pipelines/conditions/source.js';

const CONTEXT = { stepNames: new Set(['triage', 'fix-bug']) };

/** Each issue as `CODE@START-END: hint`. */
function issuesOf(text: string): string[] {
  return compileExpression(text, ['c'], CONTEXT).issues.map(
    (issue) => `${issue.code}@${issue.start}-${issue.end}: ${issue.hint}`,
  );
}

describe('condition paths', () => {
  it('resolves the preferred spelling of every root silently', () => {
    const { expr, issues } = compileExpression(
      'steps.triage.severity == inputs.level and global_vars.n > loop.index and any(steps.triage.tags, "@ == item.x and tag == \'y\'")',
      ['c'],
      CONTEXT,
    );
    expect(issues).toEqual([]);
    expect(JSON.stringify(expr)).toContain('"root":"item","path":["tag"]');
  });

  it.each([
    ["triage.severity == 'high'", ['DEPRECATED_SYNTAX@0-15: write steps.triage.severity']],
    ['fix-bug.done', ['DEPRECATED_SYNTAX@0-12: write steps.fix-bug.done']],
    ['state.count > 1', ['DEPRECATED_SYNTAX@0-11: write global_vars.count']],
    ['{{ inputs.a > 1 }}', ['DEPRECATED_SYNTAX@0-18: write inputs.a > 1']],
  ])('loads pipeline_ex spelling %s with a warning showing the preferred form', (text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
  });

  it.each([
    ['severity', 'UNKNOWN_REFERENCE@0-8'],
    ['stps.triage.x', 'UNKNOWN_REFERENCE@0-13'],
    ['triage == 1', 'BAD_CONDITION@0-6'],
    ['steps.triage', 'BAD_CONDITION@0-12'],
    ['inputs', 'BAD_CONDITION@0-6'],
    ['x@y.z', 'BAD_CONDITION@0-5'],
    ['{{a}} and {{b}}', 'BAD_CONDITION@0-5'],
  ])('rejects %s', (text, expected) => {
    expect(issuesOf(text).map((issue) => issue.split(':')[0])).toEqual([expected]);
  });

  it('gives suggestions for near misses', () => {
    expect(issuesOf('stps.triage.x')[0]).toContain('write steps.triage.x');
    expect(issuesOf('triag.x')[0]).toContain('write steps.triage.x');
  });

  it('compiles and/or/not maps and lists, with the field path of each string in its issues', () => {
    const { expr, issues } = compileCondition(
      { and: ['inputs.a', { not: 'triage.x' }] },
      ['w', 'condition'],
      CONTEXT,
    );
    expect(expr?.kind).toBe('and');
    expect(issues.map((issue) => issue.path)).toEqual([['w', 'condition', 'and', 1, 'not']]);
  });
});

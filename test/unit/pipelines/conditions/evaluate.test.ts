import { describe, expect, it } from 'vitest';
import {
  evaluateCondition,
  evaluateExpression,
  type RefReader,
} from '../../../../pipelines/conditions/evaluate.js';
import { compileCondition } from '../../../../pipelines/conditions/source.js';
import type { Expr } from '../../../../pipelines/contract/condition-ast.js';

const STATE: Record<string, Record<string, unknown>> = {
  steps: {
    triage: {
      severity: 'high',
      score: 7,
      tags: ['db', 'auth'],
      issues: [{ severity: 'high' }, { severity: 'low' }],
      meta: {},
    },
  },
  inputs: { n: 4, text: 'Hello World', empty: '', zero: 0, list: [], flag: false, nothing: null },
  global_vars: { count: 2 },
  loop: { index: 1, file: 'b.ts' },
};

const read: RefReader = (root, path) =>
  path.reduce<unknown>(
    (value, field) => (value as Record<string, unknown> | undefined)?.[field],
    STATE[root],
  );

function tree(text: string): Expr {
  const compiled = compileCondition(text, [], { stepNames: new Set(['triage']) });
  if (!compiled.expr) throw new Error(JSON.stringify(compiled.issues));
  return compiled.expr;
}

describe('evaluateCondition', () => {
  it.each([
    ["steps.triage.severity == 'high'", true],
    ["triage.severity != 'high'", false],
    ['steps.triage.score > 5 and steps.triage.score <= 7', true],
    ["'b' < 'c' and 'b' > 'a'", true],
    ["steps.triage.score > '5'", false],
    ['steps.triage.score == 7.0', true],
    ["steps.triage.score == '7'", false],
    ['steps.triage.score between 7 and 9', true],
    ["inputs.text between 'a' and 'z'", false],
    ["inputs.text contains 'World'", true],
    ["steps.triage.tags contains 'db'", true],
    ["steps.triage.tags contains 'd'", false],
    ["inputs.text matches '^Hel+o'", true],
    ["inputs.n matches '4'", false],
    ['inputs.n * 2 + 1 == 9 and inputs.n % 3 == 1', true],
    ['inputs.n / 0 == null', true],
    ['inputs.text + 1 == null', true],
    ['-inputs.n < -3', true],
    ['steps.triage.missing == null and inputs.nothing == null', true],
    ['not steps.triage.missing', true],
    ['inputs.zero', true],
    ['inputs.empty or inputs.list or inputs.flag or inputs.nothing or steps.triage.meta', false],
    ['steps.triage.tags', true],
    ['count(steps.triage.issues, "severity == \'high\'") == 1', true],
    [
      'any(steps.triage.issues, "@.severity == \'low\'") and not all(steps.triage.issues, "item.severity == \'low\'")',
      true,
    ],
    ['count(steps.triage.tags) == 2 and any(steps.triage.tags) and all(inputs.list) == true', true],
    ['sum(steps.triage.tags) == 0 and average(inputs.list) == null', true],
    ['max(3, inputs.n, 1) == 4 and min(steps.triage.tags) == null', true],
    ['length(inputs.text) == 11 and inputs.text.length == 11 and steps.triage.tags.length == 2', true],
    [
      "startsWith(inputs.text, 'Hell') and endsWith(inputs.text, 'ld') and toUpperCase(trim(' a ')) == 'A'",
      true,
    ],
    ['isEmpty(inputs.list) and isEmpty(steps.triage.meta) and not isEmpty(inputs.text)', true],
    ['abs(-2) + round(1.5) + floor(1.9) + ceil(1.1) + sqrt(16) + pow(2, 3) == 19', true],
    ['sqrt(-1) == null and between(inputs.n, 1, 4)', true],
    ['hours(1) == 3600 and days(1) == minutes(1440)', true],
    ["loop.index == 1 and loop.file == 'b.ts' and global_vars.count == 2", true],
    ['state.count == 2', true],
  ])('%s is %s', (text, expected) => {
    expect(evaluateCondition(tree(text), read)).toBe(expected);
  });

  it('evaluates and/or/not maps and lists as written', () => {
    const compiled = compileCondition(
      [{ or: ['inputs.n > 10', { not: 'inputs.flag' }] }, { and: ["steps.triage.severity == 'high'"] }],
      [],
      { stepNames: new Set() },
    );
    expect(evaluateCondition(compiled.expr as Expr, read)).toBe(true);
  });
});

describe('evaluateExpression', () => {
  it('gives the value, with missing and non-finite values as null', () => {
    expect(evaluateExpression(tree('toLowerCase(steps.triage.severity)'), read)).toBe('high');
    expect(evaluateExpression(tree('steps.triage.none'), read)).toBeNull();
    expect(evaluateExpression(tree('pow(10, 400)'), read)).toBeNull();
  });
});

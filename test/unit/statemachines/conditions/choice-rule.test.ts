import { StateMachine } from 'aws-local-stepfunctions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../../pipelines/conditions/evaluate.js';
import { compileCondition } from '../../../../pipelines/conditions/source.js';
import type { Expr } from '../../../../pipelines/contract/condition-ast.js';
import type { AslObject } from '../../../../pipelines/contract/spec-bundle.js';
import { choiceRule, regexAsGlob } from '../../../../statemachines/conditions/choice-rule.js';
import type { LocateValue } from '../../../../statemachines/conditions/state-values.js';
import { statePath } from '../../../../statemachines/conditions/state-values.js';

/** Every path is in the state under its root; `inputs.list` is known to be a list, `inputs.s` a string. */
const locate: LocateValue = (ref) => {
  if (ref.root === 'item') return undefined;
  const path = statePath(`$.${ref.root}`, ref.path);
  if (ref.root === 'inputs' && ref.path[0] === 'list') return { path, type: 'array' };
  if (ref.root === 'inputs' && ref.path[0] === 's' && ref.path.length === 1) return { path, type: 'string' };
  if (ref.root === 'inputs' && ref.path[0] === 'b' && ref.path.length === 1) return { path, type: 'boolean' };
  return { path };
};

function tree(text: string): Expr {
  const compiled = compileCondition(text, [], { stepNames: new Set() });
  if (!compiled.expr) throw new Error(JSON.stringify(compiled.issues));
  return compiled.expr;
}

/** What a Choice state with `rule` decides on `state`, run by the local interpreter. */
async function decide(rule: AslObject, state: unknown): Promise<boolean> {
  const machine = new StateMachine(
    {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ ...rule, Next: 'T' }], Default: 'F' },
        T: { Type: 'Pass', Result: { decided: true }, End: true },
        F: { Type: 'Pass', Result: { decided: false }, End: true },
      },
    } as never,
    { validationOptions: { noValidate: true } },
  );
  const output = (await machine.run(state as never).result) as unknown as { decided: boolean };
  return output.decided;
}

const CONDITIONS = [
  "inputs.x == 'a'",
  'inputs.x == 2',
  'inputs.x == true',
  'inputs.x == null',
  "inputs.x != 'a'",
  'inputs.x > 1',
  'inputs.x <= 1.5',
  "inputs.x < 'm'",
  "'m' >= inputs.x",
  'inputs.x > inputs.y',
  'inputs.x between 1 and 3',
  "inputs.s contains 'b'",
  "inputs.x matches '^a'",
  "inputs.x matches 'b$'",
  "inputs.x matches 'a\\*b'",
  'inputs.s',
  'inputs.b',
  'inputs.list',
  "not inputs.x == 'a' or (inputs.y > 0 and inputs.x != null)",
];

const value = fc.oneof(
  fc.constantFrom('a', 'b', 'ab', 'a*b', 'm', '', 'zz', 0, 1, 1.5, 2, 3, -1, true, false, null),
  fc.constant(undefined),
);

describe('choiceRule', () => {
  it.each(CONDITIONS)('decides %s as the evaluator does, on any state', async (text) => {
    // Prepare
    const expr = tree(text);
    const rule = choiceRule(expr, locate);
    expect(rule).toBeDefined();

    // Act & Assess: the Choice state and the step runner agree, missing values and wrong types included
    await fc.assert(
      fc.asyncProperty(
        value,
        value,
        fc.constantFrom('', 'abc'),
        fc.boolean(),
        fc.constantFrom([], [1]),
        async (x, y, s, b, list) => {
          const inputs: Record<string, unknown> = { s, b, list };
          if (x !== undefined) inputs.x = x;
          if (y !== undefined) inputs.y = y;
          const expected = evaluateCondition(expr, (root, path) =>
            root === 'inputs' ? inputs[path[0] as string] : undefined,
          );
          expect(await decide(rule as AslObject, { inputs })).toBe(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it.each([
    'length(inputs.x) > 1',
    'inputs.x + 1 > 2',
    "inputs.x matches '^a.+b'",
    "inputs.x contains 'b'",
    'inputs.x',
    'inputs.x == inputs.y',
    'any(inputs.list, "@ == 1")',
  ])('leaves %s to the step runner', (text) => {
    expect(choiceRule(tree(text), locate)).toBeUndefined();
  });

  it('turns literal regular expressions into globs and refuses the rest', () => {
    expect(regexAsGlob('^v1\\.2$')).toBe('v1.2');
    expect(regexAsGlob('fix')).toBe('*fix*');
    expect(regexAsGlob('^fix')).toBe('fix*');
    expect(regexAsGlob('.*done.*')).toBe('*done*');
    expect(regexAsGlob('a\\*b')).toBe('*a\\*b*');
    expect(regexAsGlob('a.b')).toBeUndefined();
    expect(regexAsGlob('^(a|b)$')).toBeUndefined();
  });
});

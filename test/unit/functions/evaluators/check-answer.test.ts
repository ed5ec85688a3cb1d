import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../../../functions/evaluators/check-answer.js';

const answer = {
  text: '{"category":"billing","plan":{"steps":["code","test"]}}',
  data: { category: 'billing', plan: { steps: ['code', 'test'] } },
};

describe('checkAnswer', () => {
  it('validates the JSON against a schema', () => {
    const schema = { type: 'object', required: ['category', 'urgency'] };

    expect(checkAnswer({ name: 's', kind: 'output_schema', schema: { type: 'object' } }, answer)).toEqual({
      score: 1,
    });
    expect(checkAnswer({ name: 's', kind: 'output_schema', schema }, answer)).toEqual({
      score: 0,
      detail: "/ must have required property 'urgency'",
    });
    expect(checkAnswer({ name: 's', kind: 'output_schema', schema }, { text: 'plain' })).toMatchObject({
      score: 0,
    });
  });

  it('reads the text or a field for contains and regex', () => {
    expect(
      checkAnswer({ name: 'c', kind: 'contains', value: 'BILL', field: 'category', ignoreCase: true }, answer)
        .score,
    ).toBe(1);
    expect(checkAnswer({ name: 'c', kind: 'contains', value: 'BILL' }, answer)).toMatchObject({ score: 0 });
    expect(checkAnswer({ name: 'r', kind: 'regex', pattern: '^bill', field: 'category' }, answer).score).toBe(
      1,
    );
    expect(checkAnswer({ name: 'r', kind: 'regex', pattern: '"steps":\\[' }, answer).score).toBe(1);
  });

  it('compares the value at a JSON path', () => {
    expect(
      checkAnswer({ name: 'j', kind: 'json_path_equals', path: '$.plan.steps[1]', equals: 'test' }, answer)
        .score,
    ).toBe(1);
    expect(
      checkAnswer(
        { name: 'j', kind: 'json_path_equals', path: '$.plan.steps', equals: ['code', 'test'] },
        answer,
      ).score,
    ).toBe(1);
    expect(
      checkAnswer({ name: 'j', kind: 'json_path_equals', path: '$.plan.owner', equals: 'me' }, answer),
    ).toEqual({
      score: 0,
      detail: '$.plan.owner is missing',
    });
  });
});

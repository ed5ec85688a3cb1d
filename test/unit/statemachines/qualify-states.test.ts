import { describe, expect, it } from 'vitest';
import type { AslObject } from '../../../pipelines/contract/spec-bundle.js';
import { qualifyStates } from '../../../statemachines/qualify-states.js';

describe('qualifyStates', () => {
  it('renames every state, nested ones included, and every transition to them, but not others', () => {
    // Prepare
    const states: AslObject = {
      pick: {
        Type: 'Choice',
        Choices: [{ Variable: '$.x', IsPresent: true, Next: 'loop' }],
        Default: 'after',
      },
      loop: {
        Type: 'Map',
        ItemProcessor: { StartAt: 'body', States: { body: { Type: 'Pass', End: true } } },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'fallback' }],
        Next: 'outside',
      },
      fallback: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'b1', States: { b1: { Type: 'Pass', Next: 'b2' }, b2: { Type: 'Pass', End: true } } },
        ],
        Next: 'outside',
      },
    };

    // Act
    const { states: renamed, rename } = qualifyStates(states, 'child');

    // Assess
    expect(Object.keys(renamed)).toEqual(['child.pick', 'child.loop', 'child.fallback']);
    expect(renamed['child.pick']).toMatchObject({ Choices: [{ Next: 'child.loop' }], Default: 'after' });
    expect(renamed['child.loop']).toMatchObject({
      ItemProcessor: { StartAt: 'child.body', States: { 'child.body': { Type: 'Pass', End: true } } },
      Catch: [{ Next: 'child.fallback' }],
      Next: 'outside',
    });
    expect(renamed['child.fallback']).toMatchObject({
      Branches: [
        { StartAt: 'child.b1', States: { 'child.b1': { Next: 'child.b2' }, 'child.b2': { End: true } } },
      ],
    });
    expect(rename('pick')).toBe('child.pick');
    expect(rename('outside')).toBe('outside');
  });
});

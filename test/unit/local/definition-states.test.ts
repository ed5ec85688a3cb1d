import { describe, expect, it } from 'vitest';
import { listStates } from '../../../local/definition-states.js';

describe('listStates', () => {
  it('lists states at every depth: Parallel branches and Map processors', () => {
    // Prepare
    const definition = {
      StartAt: 'Map',
      States: {
        Map: {
          Type: 'Map',
          Iterator: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', End: true } } },
          Next: 'Par',
        },
        Par: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } }],
          End: true,
        },
      },
    };

    // Act
    const names = listStates(definition).map((state) => state.name);

    // Assess
    expect(names).toEqual(['Map', 'Inner', 'Par', 'Left']);
  });

  it('accepts an explicit JSONPath query language but not JSONata', () => {
    const pass = { Type: 'Pass', End: true };

    expect(() => listStates({ QueryLanguage: 'JSONPath', StartAt: 'P', States: { P: pass } })).not.toThrow();
    expect(() => listStates({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: pass } })).toThrow(
      /^The definition uses QueryLanguage/,
    );
  });

  it('rejects Variables in a Catch', () => {
    const task = {
      Type: 'Task',
      Resource: '${X}',
      Catch: [{ ErrorEquals: ['States.ALL'], Assign: {}, Next: 'T' }],
      End: true,
    };

    expect(() => listStates({ StartAt: 'T', States: { T: task } })).toThrow(/^State "T" uses Assign/);
  });
});

import { describe, expect, it } from 'vitest';
import { resumeDefinition } from '../../../local/resume-definition.js';

const DEFINITION = {
  Comment: 'four states',
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Next: 'B' },
    B: { Type: 'Task', Resource: '${R}', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'D' }], Next: 'C' },
    C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'D' }], Default: 'E' },
    D: { Type: 'Pass', End: true },
    E: { Type: 'Succeed' },
  },
};

describe('resumeDefinition', () => {
  it('starts at the state and keeps only what it can reach through Next, Catch, Choices and Default', () => {
    // Act
    const resumed = resumeDefinition(DEFINITION, 'B');

    // Assess
    expect(resumed.StartAt).toBe('B');
    expect(resumed.Comment).toBe('four states');
    expect(Object.keys(resumed.States as object).sort()).toEqual(['B', 'C', 'D', 'E']);
    expect(DEFINITION.StartAt).toBe('A');
  });

  it('refuses a state the definition does not have at its top level', () => {
    expect(() => resumeDefinition(DEFINITION, 'Z')).toThrow(/no top-level state "Z"/);
  });
});

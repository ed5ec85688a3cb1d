import { describe, expect, it } from 'vitest';
import type { AslObject } from '../../../pipelines/contract/spec-bundle.js';
import { longestPathEvents, setEventWeight, stateEvents } from '../../../statemachines/history-events.js';

describe('history events', () => {
  it('counts each state type, nested machines included', () => {
    expect(stateEvents({ Type: 'Pass' })).toBe(2);
    expect(stateEvents({ Type: 'Task' })).toBe(5);
    const branch = { StartAt: 't', States: { t: { Type: 'Task', End: true } } };
    expect(stateEvents({ Type: 'Parallel', Branches: [branch, branch] })).toBe(4 + 10);
    expect(stateEvents({ Type: 'Map', ItemProcessor: branch })).toBe(4 + 2 + 5);
  });

  it('takes the longest branch of a Choice, follows no back edge, and uses weights loops set', () => {
    const entry: AslObject = { Type: 'Pass', Next: 'c' };
    const states: AslObject = {
      entry,
      c: { Type: 'Choice', Choices: [{ Next: 'long' }], Default: 'short' },
      long: { Type: 'Task', Next: 'back' },
      back: { Type: 'Pass', Next: 'c' },
      short: { Type: 'Pass', Next: 'outside' },
    };
    expect(longestPathEvents(states, 'entry')).toBe(2 + 2 + 5 + 2);
    setEventWeight(entry, 1000);
    expect(longestPathEvents(states, 'entry')).toBe(1000 + 2 + 5 + 2);
  });
});

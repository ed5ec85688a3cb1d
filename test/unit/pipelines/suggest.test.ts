import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance } from '../../../pipelines/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['claud', 'claude', 1],
    ['brian', 'brain', 1],
    ['kitten', 'sitting', 3],
  ])('%j to %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestName', () => {
  it('suggests the nearest candidate within one edit per three characters, ignoring case', () => {
    expect(closestName('analyse', ['plan', 'analyze', 'analyzed'])).toBe('analyze');
    expect(closestName('Prompt', ['prompt'])).toBe('prompt');
  });

  it('suggests nothing for an exact match or a distant name', () => {
    expect(closestName('plan', ['plan'])).toBeUndefined();
    expect(closestName('review', ['plan', 'outline'])).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('phrases the suggestion, or says nothing', () => {
    expect(didYouMean('gemni', ['gemini', 'claude'])).toBe("did you mean 'gemini'? ");
    expect(didYouMean('zzz', ['gemini'])).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { shownName } from '../../../pipelines/issues.js';
import {
  closestName,
  didYouMean,
  editDistance,
  MAX_CANDIDATES,
  MAX_SUGGESTED_LENGTH,
} from '../../../pipelines/suggest.js';

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

describe('bounded work on hostile input', () => {
  it('suggests nothing for a name longer than any name worth suggesting', () => {
    const long = 'a'.repeat(MAX_SUGGESTED_LENGTH + 1);
    // One deletion away, so an unbounded search would suggest it after a product-of-lengths walk.
    expect(closestName(long, [long.slice(1), 'plan'])).toBeUndefined();
    expect(closestName('x'.repeat(2_000_000), ['claude', 'gemini'])).toBeUndefined();
  });

  it('reads at most MAX_CANDIDATES candidates', () => {
    let read = 0;
    function* candidates() {
      for (;;) {
        read++;
        yield `step_${read}`;
      }
    }
    expect(closestName('analyze', candidates())).toBeUndefined();
    expect(read).toBe(MAX_CANDIDATES + 1);
  });

  it('still finds a near miss among candidates of other lengths', () => {
    expect(closestName('analyse', ['a'.repeat(10_000), 'analyze'])).toBe('analyze');
  });
});

describe('shownName', () => {
  it('quotes a short name whole and a long one by its start and length', () => {
    expect(shownName('claud')).toBe("'claud'");
    expect(shownName('x'.repeat(200_000))).toBe(`'${'x'.repeat(64)}…' (200000 characters)`);
  });
});

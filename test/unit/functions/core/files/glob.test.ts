import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../../../../functions/core/files/glob.js';

describe('globToRegExp', () => {
  it.each([
    ['*', 'a.json', true],
    ['*', 'sub/a.json', false],
    ['*.json', 'a.json', true],
    ['*.json', 'a.jsonl', false],
    ['**/*.json', 'a.json', true],
    ['**/*.json', 'x/y/a.json', true],
    ['reports/**', 'reports/q1/a.csv', true],
    ['?.txt', 'a.txt', true],
    ['?.txt', 'ab.txt', false],
    ['*.{csv,json}', 'a.csv', true],
    ['*.{csv,json}', 'a.yaml', false],
    ['a+b(1).txt', 'a+b(1).txt', true],
  ])('%s matches %s: %s', (pattern, path, matches) => {
    expect(globToRegExp(pattern).test(path)).toBe(matches);
  });
});

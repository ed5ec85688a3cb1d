import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../../cli/progress.js';

/** A progress printer writing plain lines (not a terminal), and what it wrote. */
function printer() {
  let err = '';
  const observer = progressPrinter({
    out: { write: () => undefined, isTTY: false },
    err: { write: (text: string) => (err += text), isTTY: false },
    env: {},
  });
  return { observer, lines: () => err.trim().split('\n') };
}

describe('progress of an agent step', () => {
  it('shows each turn that called tools, then the next turn, never as a retry', () => {
    // Prepare
    const { observer, lines } = printer();

    // Act: turn 1 calls tools, turn 2 is throttled once and retried
    observer.onStepStart?.('fix');
    observer.onStepSucceeded?.('fix', { turn: 2, done: false });
    observer.onStepStart?.('fix');
    observer.onStepFailed?.('fix', Object.assign(new Error('slow down'), { name: 'Provider.RateLimited' }));
    observer.onStepStart?.('fix');

    // Assess
    expect(lines().map((line) => line.replace(/\s+\d+\.\d+s$/, ''))).toEqual([
      'fix: running',
      'fix: ok  turn 1 called tools',
      'fix: turn 2',
      'fix: failed  Provider.RateLimited: slow down',
      'fix: retrying (attempt 2)',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { ErrorName, PERMANENT_ERRORS, TRANSIENT_ERRORS } from '../../../pipelines/contract/errors.js';
import { declaredRetriers, retriedErrorNames } from '../../../statemachines/policies.js';

describe('STEP_RETRIERS', () => {
  it('classifies every named error as transient or permanent, never both', () => {
    const all = Object.values(ErrorName);

    expect([...TRANSIENT_ERRORS, ...PERMANENT_ERRORS].sort()).toEqual([...all].sort());
    expect(TRANSIENT_ERRORS.filter((name) => PERMANENT_ERRORS.includes(name))).toEqual([]);
  });

  it.each(TRANSIENT_ERRORS)('retries the transient error %s', (name) => {
    expect(retriedErrorNames()).toContain(name);
  });

  it.each(PERMANENT_ERRORS)('does not retry the permanent error %s', (name) => {
    expect(retriedErrorNames()).not.toContain(name);
  });

  it('retries Lambda throttling, which CDK leaves out by default', () => {
    expect(retriedErrorNames()).toContain('Lambda.TooManyRequestsException');
  });

  it('never names a States.* error, whose prefix Step Functions reserves', () => {
    expect([...retriedErrorNames()].filter((name) => name.startsWith('States.'))).toEqual([]);
  });
});

describe('declaredRetriers', () => {
  const declared = {
    maxRetries: 3,
    backoff: 'exponential' as const,
    baseDelayMs: 1000,
    errors: ['Provider.RateLimited'],
  };

  it.each([
    ['exponential', { BackoffRate: 2 }],
    ['fixed', { BackoffRate: 1 }],
    ['linear', { BackoffRate: 1.73, MaxDelaySeconds: 3 }],
  ] as const)('encodes %s backoff after the Lambda retrier, without jitter', (backoff, encoding) => {
    const [lambda, retrier] = declaredRetriers({ ...declared, backoff });

    expect(lambda?.ErrorEquals).toContain('Lambda.TooManyRequestsException');
    expect(retrier).toEqual({
      ErrorEquals: ['Provider.RateLimited'],
      IntervalSeconds: 1,
      MaxAttempts: 3,
      ...encoding,
    });
  });

  it('rounds the base delay up to whole seconds and drops duplicate error names', () => {
    const [, retrier] = declaredRetriers({ ...declared, baseDelayMs: 1500, errors: ['A', 'B', 'A'] });

    expect(retrier).toMatchObject({ ErrorEquals: ['A', 'B'], IntervalSeconds: 2 });
  });

  it('retries only Lambda service errors with max_retries 0', () => {
    expect(declaredRetriers({ ...declared, maxRetries: 0 })).toHaveLength(1);
  });
});

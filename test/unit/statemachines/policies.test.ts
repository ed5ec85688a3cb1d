import { describe, expect, it } from 'vitest';
import { ErrorName, PERMANENT_ERRORS, TRANSIENT_ERRORS } from '../../../functions/core/errors.js';
import { retriedErrorNames } from '../../../statemachines/policies.js';

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

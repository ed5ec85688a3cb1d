import { ErrorName, LAMBDA_SERVICE_ERRORS } from '../functions/core/errors.js';
import type { AslObject } from './types.js';

/**
 * The retry policy of every step-runner Task, one retrier per error class. Jitter is FULL so that
 * parallel steps throttled together do not retry in lockstep. Permanent errors (auth, invalid
 * request, unresolved template) are deliberately absent: they fail the step at once.
 */
export const STEP_RETRIERS: readonly AslObject[] = [
  {
    // Lambda could not run the function, or throttled it (TooManyRequests is missing from CDK's default).
    ErrorEquals: [...LAMBDA_SERVICE_ERRORS],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  {
    // The provider asked us to slow down: back off longer, capped so a run does not stall for minutes.
    ErrorEquals: [ErrorName.ProviderRateLimited, ErrorName.ProviderOverloaded],
    IntervalSeconds: 5,
    MaxAttempts: 5,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
  {
    // A failed or garbled reply: worth a couple of quick retries.
    ErrorEquals: [
      ErrorName.ProviderServerError,
      ErrorName.ProviderTimeout,
      ErrorName.ProviderInvalidResponse,
    ],
    IntervalSeconds: 2,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

/** Error names some retrier of {@link STEP_RETRIERS} matches. */
export function retriedErrorNames(): Set<string> {
  return new Set(STEP_RETRIERS.flatMap((retrier) => retrier.ErrorEquals as string[]));
}

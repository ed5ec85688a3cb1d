import { ErrorName, LAMBDA_SERVICE_ERRORS, TRANSIENT_ERRORS } from '../pipelines/contract/errors.js';
import type { AslObject } from '../pipelines/contract/spec-bundle.js';

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

/** How the declared retries of a `claude_robust` step behave. */
export interface DeclaredRetry {
  readonly maxRetries: number;
  readonly backoff: 'exponential' | 'linear' | 'fixed';
  readonly baseDelayMs: number;
  /** Error names to retry (already mapped from pipeline_ex's conditions). */
  readonly errors: readonly string[];
}

/**
 * The Retry of a step with declared retries: the Lambda service retrier, then one retrier for the
 * declared errors, so `max_retries` bounds the retries of all of them together, as in pipeline_ex.
 * No jitter, so the waits are the declared ones. Step Functions counts whole seconds, so the base
 * delay is rounded up to at least 1 s. Backoff:
 * - `exponential`: `base × 2^n`, exactly (`BackoffRate: 2`);
 * - `fixed`: `base` every time (`BackoffRate: 1`);
 * - `linear` (`base × (n + 1)`) has no ASL form: the waits grow geometrically from `base` to exactly
 *   `base × max_retries` (`BackoffRate` = `max_retries^(1/(max_retries-1))`, `MaxDelaySeconds` at
 *   the last wait), so the first and last waits are linear's and those between stay within 25 % of it
 *   for up to 5 retries.
 */
export function declaredRetriers(retry: DeclaredRetry): AslObject[] {
  const lambda = STEP_RETRIERS[0] as AslObject;
  if (retry.maxRetries === 0 || retry.errors.length === 0) return [lambda];
  const interval = Math.max(1, Math.ceil(retry.baseDelayMs / 1000));
  const n = retry.maxRetries;
  const backoff: AslObject =
    retry.backoff === 'exponential'
      ? { BackoffRate: 2 }
      : retry.backoff === 'fixed' || n === 1
        ? { BackoffRate: 1 }
        : { BackoffRate: Math.round(n ** (1 / (n - 1)) * 100) / 100, MaxDelaySeconds: interval * n };
  return [
    lambda,
    { ErrorEquals: [...new Set(retry.errors)], IntervalSeconds: interval, MaxAttempts: n, ...backoff },
  ];
}

/**
 * Errors of the StartExecution call itself (not of the child), worth a few quick retries. A child
 * that fails makes the Task fail with `States.TaskFailed`, which is not retried: the child's own
 * steps have retried what can be retried.
 */
export const START_EXECUTION_RETRIER: AslObject = {
  ErrorEquals: [
    'StepFunctions.ExecutionLimitExceededException',
    'StepFunctions.SdkClientException',
    'StepFunctions.AWSStepFunctionsException',
  ],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/**
 * Errors of the RunTask call that starts a `test` step's Fargate task (capacity, throttling, the
 * service), worth a few spaced retries: no command has run yet. A task that ran and stopped badly
 * fails with `States.TaskFailed`, not retried: its command may already have run.
 */
export const RUN_TASK_RETRIER: AslObject = {
  ErrorEquals: ['ECS.AmazonECSException', 'ECS.ServerException'],
  IntervalSeconds: 5,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/**
 * The retry policy a Task's emitter asks for; the policy pass (`policy-pass.ts`) writes the Task's
 * `Retry` from it, so which errors are retried, and how, is decided here alone.
 */
export type RetryPolicy =
  /** A step-runner Task that may call a provider: {@link STEP_RETRIERS}. */
  | { readonly kind: 'step' }
  /** A step-runner Task that must not repeat a provider call: the Lambda service retrier alone. */
  | { readonly kind: 'lambda_only' }
  /** A Task starting a child execution: {@link START_EXECUTION_RETRIER}. */
  | { readonly kind: 'start_execution' }
  /** A Task running a test step's Fargate task: {@link RUN_TASK_RETRIER}. */
  | { readonly kind: 'run_task' }
  /** A Task with declared retries (`claude_robust`): see {@link declaredRetriers}. */
  | { readonly kind: 'declared'; readonly retry: DeclaredRetry };

/** The policy of most step-runner Tasks. */
export const STEP_POLICY: RetryPolicy = { kind: 'step' };

/** The Lambda service retrier alone: the function did not run, so no provider call was made. */
export const LAMBDA_ONLY_POLICY: RetryPolicy = { kind: 'lambda_only' };

/** The `Retry` of a Task under `policy`. */
export function retriersOf(policy: RetryPolicy): AslObject[] {
  switch (policy.kind) {
    case 'step':
      return [...STEP_RETRIERS];
    case 'lambda_only':
      return STEP_RETRIERS.slice(0, 1);
    case 'start_execution':
      return [START_EXECUTION_RETRIER];
    case 'run_task':
      return [RUN_TASK_RETRIER];
    case 'declared':
      return declaredRetriers(policy.retry);
  }
}

/**
 * What a step's fallback model answers for once the step's retries are spent: the transient
 * provider errors and the Task's own timeout. (`claude_robust` sends every error to its fallbacks.)
 */
export const FALLBACK_MODEL_ERRORS: readonly string[] = [...TRANSIENT_ERRORS, 'States.Timeout'];

/**
 * Named runtime errors. Each class's `name` is exactly the string a Step Functions `ErrorEquals`
 * matches, so the compiler's Retry/Catch tables and the runtime share one spelling: {@link ErrorName}.
 *
 * Checks across a boundary compare `name`, never `instanceof`: a Lambda bundle can hold two copies of
 * a class, and Step Functions only ever sees the name.
 */
export const ErrorName = {
  ProviderRateLimited: 'Provider.RateLimited',
  ProviderOverloaded: 'Provider.Overloaded',
  ProviderServerError: 'Provider.ServerError',
  ProviderTimeout: 'Provider.Timeout',
  ProviderInvalidResponse: 'Provider.InvalidResponse',
  ProviderAuthFailed: 'Provider.AuthFailed',
  ProviderInvalidRequest: 'Provider.InvalidRequest',
  TemplateUnresolved: 'Template.Unresolved',
  SpecNotFound: 'Spec.NotFound',
  OutputInvalid: 'Output.Invalid',
  FallbackUnavailable: 'Fallback.Unavailable',
  BatchTooManyFailures: 'Batch.TooManyFailures',
  StepEchoFailed: 'Step.EchoFailed',
  DataInvalidInput: 'Data.InvalidInput',
  FileNotFound: 'File.NotFound',
  FileInvalidPath: 'File.InvalidPath',
  FileInvalidContent: 'File.InvalidContent',
  FileValidationFailed: 'File.ValidationFailed',
  LoopMaxIterations: 'Loop.MaxIterations',
  LoopTooManyItems: 'Loop.TooManyItems',
  LoopItemsInvalid: 'Loop.ItemsInvalid',
  OutputFieldsTooLarge: 'Output.FieldsTooLarge',
  PromptPackInvalid: 'PromptPack.Invalid',
} as const;

export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName];

/** Errors worth retrying: the provider may answer differently on the next attempt. */
export const TRANSIENT_ERRORS: readonly ErrorName[] = [
  ErrorName.ProviderRateLimited,
  ErrorName.ProviderOverloaded,
  ErrorName.ProviderServerError,
  ErrorName.ProviderTimeout,
  ErrorName.ProviderInvalidResponse,
];

/** Errors that fail the step at once: retrying cannot help until a person changes something. */
export const PERMANENT_ERRORS: readonly ErrorName[] = [
  ErrorName.ProviderAuthFailed,
  ErrorName.ProviderInvalidRequest,
  ErrorName.TemplateUnresolved,
  ErrorName.SpecNotFound,
  // Never retried as such: a step with output_schema catches it into its repair loop, and
  // claude_robust into its fallback chain.
  ErrorName.OutputInvalid,
  ErrorName.FallbackUnavailable,
  ErrorName.BatchTooManyFailures,
  // Data and file steps are deterministic: the same inputs fail the same way again.
  ErrorName.StepEchoFailed,
  ErrorName.DataInvalidInput,
  ErrorName.FileNotFound,
  ErrorName.FileInvalidPath,
  ErrorName.FileInvalidContent,
  ErrorName.FileValidationFailed,
  // Loops are bounded on purpose: hitting a bound again on a retry would only repeat the work.
  ErrorName.LoopMaxIterations,
  ErrorName.LoopTooManyItems,
  ErrorName.LoopItemsInvalid,
  // Fields a Choice state reads must fit in the state; the same answer is as large on a retry.
  ErrorName.OutputFieldsTooLarge,
  // A prompt pack the runtime cannot render as DSPy did stays broken until the optimizer replaces it.
  ErrorName.PromptPackInvalid,
];

/**
 * Lambda service errors Step Functions raises around an invocation. CDK's default retrier omits
 * `Lambda.TooManyRequestsException` (aws/aws-cdk#26474); a concurrency throttle is transient too.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
] as const;

/** Which provider family an error came from; `mock` for injected faults. */
export type ProviderName = 'anthropic' | 'gemini' | 'mock';

/** What a provider error carries besides its message, so a caller can act on it. */
export interface ProviderErrorDetails {
  readonly provider: ProviderName;
  readonly model?: string;
  /** HTTP status of the provider's reply, when there was one. */
  readonly status?: number;
  /** From the provider's `retry-after` header, when it sent one. */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** Base of every named runtime error. */
export class ElexirionError extends Error {
  constructor(
    override readonly name: ErrorName,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A provider call failed; `name` says how (rate limit, overload, auth, …). */
export class ProviderError extends ElexirionError {
  readonly provider: ProviderName;
  readonly model: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(name: ErrorName, message: string, details: ProviderErrorDetails) {
    super(name, message, { cause: details.cause });
    this.provider = details.provider;
    this.model = details.model;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** A template referenced a value that the run does not have (an output field the model did not return). */
export class TemplateUnresolvedError extends ElexirionError {
  constructor(message: string) {
    super(ErrorName.TemplateUnresolved, message);
  }
}

/** The step runner was asked for a step its spec bundle does not contain. */
export class SpecNotFoundError extends ElexirionError {
  constructor(message: string) {
    super(ErrorName.SpecNotFound, message);
  }
}

/** The answer is not JSON matching the step's output schema; `message` lists what is wrong. */
export class OutputInvalidError extends ElexirionError {
  constructor(message: string) {
    super(ErrorName.OutputInvalid, message);
  }
}

/**
 * The active prompt pack of a step cannot be used: it does not parse, belongs to another step, or the
 * runtime's rendering of its golden samples differs from DSPy's.
 */
export class PromptPackInvalidError extends ElexirionError {
  constructor(message: string) {
    super(ErrorName.PromptPackInvalid, message);
  }
}

/** A fallback had nothing to answer with (no cached response of the step exists). */
export class FallbackUnavailableError extends ElexirionError {
  constructor(message: string) {
    super(ErrorName.FallbackUnavailable, message);
  }
}

/** True when `error` is transient in Elexirion's sense; compares `name`, never `instanceof`. */
export function isTransientError(error: unknown): boolean {
  return error instanceof Error && (TRANSIENT_ERRORS as readonly string[]).includes(error.name);
}

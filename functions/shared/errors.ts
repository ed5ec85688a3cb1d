import { ErrorName, TRANSIENT_ERRORS } from '../../pipelines/contract/errors.js';
import type { ProviderName } from '../../pipelines/contract/models.js';

/**
 * Named runtime errors. Each class's `name` is one of the contract's {@link ErrorName}s
 * (`pipelines/contract/errors.ts`), exactly the string a Step Functions `ErrorEquals` matches.
 */

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

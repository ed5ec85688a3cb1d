import { z } from 'zod';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { ProviderName } from '../../pipelines/contract/models.js';
import { ProviderError } from '../shared/errors.js';

/**
 * What an adapter learned from an SDK error: the `ErrorName` it means and what to tell the user.
 * {@link normalizeProviderError} turns it into a `ProviderError`.
 */
export interface ProviderFailure {
  readonly name: ErrorName;
  /** What went wrong, in the provider's words when it gave any. */
  readonly detail: string;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
}

/**
 * The `ErrorName` an HTTP error status of a provider means. Shared by every adapter, so a status is
 * classified in one place; an adapter checks its provider's own overload signal first (Anthropic's
 * `overloaded_error`, Gemini's 503 `UNAVAILABLE`), because 503 means overload only for Gemini.
 *
 * @example
 * errorNameForStatus(429); // 'Provider.RateLimited'
 */
export function errorNameForStatus(status: number): ErrorName {
  switch (status) {
    case 401:
    case 403:
      return ErrorName.ProviderAuthFailed;
    case 408:
      return ErrorName.ProviderTimeout;
    case 429:
      return ErrorName.ProviderRateLimited;
    case 529:
      return ErrorName.ProviderOverloaded;
  }
  // Any other 4xx (400, 404, 413, 422, …) says the request itself is wrong: retrying cannot help.
  return status >= 500 ? ErrorName.ProviderServerError : ErrorName.ProviderInvalidRequest;
}

/**
 * Seconds to wait from a `retry-after` header, which holds either seconds or an HTTP date
 * (RFC 9110 §10.2.3); undefined when absent or unreadable.
 *
 * @example
 * parseRetryAfter('7'); // 7
 */
export function parseRetryAfter(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Credential shapes and what replaces them; `$1` keeps a query parameter's name. */
const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/sk-ant-[\w-]+/g, '[redacted]'], // Anthropic API and admin keys
  [/AIza[\w-]{20,}/g, '[redacted]'], // Google API keys
  [/Bearer\s+[\w.~+/-]+=*/gi, 'Bearer [redacted]'],
  [/([?&]key=)[^&\s"]+/g, '$1[redacted]'],
];

/**
 * Masks anything shaped like an API key or bearer token, so an error message (which ends up in logs,
 * run records and Step Functions history) never carries a credential a provider echoed back.
 *
 * @example
 * redactSecrets('invalid key sk-ant-api03-abc'); // 'invalid key [redacted]'
 */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce(
    (redacted, [pattern, replacement]) => redacted.replace(pattern, replacement),
    text,
  );
}

/**
 * Turns any failure of a provider call into a `ProviderError`. `classify` recognizes the SDK's own
 * errors; what it leaves (`undefined`) is classified here the same way for every provider: a body
 * that is not JSON or not the expected shape is `Provider.InvalidResponse`, an abort or a socket
 * timeout is `Provider.Timeout`, anything else (a refused or reset connection) is
 * `Provider.ServerError`. A `ProviderError` passes through unchanged. The original error is kept as
 * `cause`.
 *
 * @example
 * normalizeProviderError('gemini', model, error, classifyGeminiError);
 */
export function normalizeProviderError(
  provider: ProviderName,
  model: string,
  error: unknown,
  classify: (error: unknown) => ProviderFailure | undefined,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure = classify(error) ?? classifyCommonFailure(error);
  const status = failure.status === undefined ? '' : ` HTTP ${failure.status}`;
  return new ProviderError(failure.name, redactSecrets(`${provider} ${model}${status}: ${failure.detail}`), {
    provider,
    model,
    status: failure.status,
    retryAfterSeconds: failure.retryAfterSeconds,
    cause: error,
  });
}

function classifyCommonFailure(error: unknown): ProviderFailure {
  if (error instanceof SyntaxError) {
    return { name: ErrorName.ProviderInvalidResponse, detail: `reply body is not JSON (${error.message})` };
  }
  if (error instanceof z.ZodError) {
    return {
      name: ErrorName.ProviderInvalidResponse,
      detail: `reply has an unexpected shape: ${z.prettifyError(error).replaceAll('\n', ' ')}`,
    };
  }
  if (isTimeout(error)) return { name: ErrorName.ProviderTimeout, detail: 'no reply before the timeout' };
  return { name: ErrorName.ProviderServerError, detail: describe(error) };
}

/** True for an aborted fetch or an undici socket timeout, anywhere in the `cause` chain. */
function isTimeout(error: unknown): boolean {
  return causeChain(error).some((link) => {
    const code = (link as { code?: unknown }).code;
    return (
      link.name === 'AbortError' ||
      link.name === 'TimeoutError' ||
      (typeof code === 'string' && code.includes('TIMEOUT'))
    );
  });
}

/** The messages of an error and its causes, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:9`. */
function describe(error: unknown): string {
  const chain = causeChain(error);
  return chain.length === 0 ? String(error) : chain.map((link) => link.message).join(': ');
}

/** An error followed by its `cause`s, at most five deep (a cause chain can be cyclic). */
function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let link = error; link instanceof Error && chain.length < 5; link = link.cause) chain.push(link);
  return chain;
}

import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorDetail, isRequestError, type RequestErrorCode } from '../shared/request-error.js';

/**
 * Base of every error the API answers with: a status, a stable `code`, a message that says what to
 * do, and details naming each field. `toJSON()` is the body: `{error: {code, message, details}}`.
 */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    /** Extra response headers, e.g. `WWW-Authenticate`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The response body. */
  toJSON(): { error: { code: string; message: string; details: readonly ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** 400: the request does not fit its schema, or its body is not JSON. */
export class BadRequestError extends HttpError {
  override readonly name = 'BadRequestError';

  constructor(code: string, message: string, details: readonly ErrorDetail[] = []) {
    super(400, code, message, details);
  }
}

/** 401: no API key, or one that is not valid. */
export class UnauthorizedError extends HttpError {
  override readonly name = 'UnauthorizedError';

  constructor(message: string) {
    super(401, 'UNAUTHENTICATED', message, [], { 'WWW-Authenticate': 'Bearer realm="elexirion"' });
  }
}

/** 404: no such route. (Unknown runs and pipelines are `RequestError`s, mapped below.) */
export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';

  constructor(message: string) {
    super(404, 'ROUTE_NOT_FOUND', message);
  }
}

/** 413: the body is over the size limit. */
export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';

  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `the request body is over the limit of ${limitBytes} bytes`, [
      { message: 'send a smaller body; keep large data in S3 and pass its location as an input' },
    ]);
  }
}

/** 415: a body in a media type the route does not take. */
export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';

  constructor(expected: string) {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', `send the body with Content-Type: ${expected}`, [
      { field: 'Content-Type', message: `expected ${expected}` },
    ]);
  }
}

/** The status of each refusal the core can make. */
const REQUEST_ERROR_STATUS: Readonly<Record<RequestErrorCode, ContentfulStatusCode>> = {
  INVALID_REQUEST: 400,
  PIPELINE_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  STEP_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  WORKSPACE_NOT_FOUND: 404,
  RUN_NOT_RUNNING: 409,
  RUN_NOT_REDRIVABLE: 409,
  STATE_MACHINE_CONFLICT: 409,
  // draft-ietf-httpapi-idempotency-key-header: a request while the key's first one is in flight is 409.
  IDEMPOTENCY_IN_PROGRESS: 409,
  ARCHIVE_TOO_LARGE: 413,
  INVALID_PIPELINE: 422,
  INVALID_INPUT: 422,
  UNKNOWN_STEP: 422,
  INVALID_ARCHIVE: 422,
  // draft-ietf-httpapi-idempotency-key-header: a key reused with another payload is 422.
  IDEMPOTENCY_KEY_REUSED: 422,
};

/**
 * Any error as the HttpError the client gets. Refusals from the core keep their code and details;
 * Hono's own (malformed JSON, wrong media type) get ours; anything else is a 500 that says nothing
 * of its cause, which is reported with `incident` instead.
 */
export function toHttpError(error: unknown, incident: string): HttpError {
  if (error instanceof HttpError) return error;
  if (isRequestError(error)) {
    const retryAfter = error.options?.retryAfterSeconds;
    return new HttpError(
      REQUEST_ERROR_STATUS[error.code],
      error.code,
      error.message,
      error.details,
      retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
    );
  }
  if (error instanceof HTTPException) {
    if (error.status === 400) {
      return new BadRequestError('INVALID_JSON', 'the request body is not valid JSON', [
        { message: 'send a JSON object, e.g. {"input": {}}' },
      ]);
    }
    if (error.status === 415) return new UnsupportedMediaTypeError('application/json');
  }
  return new HttpError(500, 'INTERNAL_ERROR', `an internal error occurred (incident ${incident}); try again`);
}

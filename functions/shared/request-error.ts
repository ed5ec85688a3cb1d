/** Stable codes of the requests the control plane refuses; the HTTP layer maps each to a status. */
export type RequestErrorCode =
  | 'INVALID_REQUEST'
  | 'PIPELINE_NOT_FOUND'
  | 'INVALID_PIPELINE'
  | 'INVALID_INPUT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'RUN_NOT_FOUND'
  | 'RUN_NOT_RUNNING'
  | 'RUN_NOT_REDRIVABLE'
  | 'STATE_MACHINE_CONFLICT'
  | 'STEP_NOT_FOUND'
  | 'UNKNOWN_STEP'
  | 'ARTIFACT_NOT_FOUND'
  | 'WORKSPACE_NOT_FOUND'
  | 'INVALID_ARCHIVE'
  | 'ARCHIVE_TOO_LARGE';

/** One precise problem: which field, what is wrong, and where in a file when there is one. */
export interface ErrorDetail {
  /** The field, as a path into the request: `input.topic`, `stepId`, `workflow.steps[1].type`. */
  readonly field?: string;
  readonly message: string;
  /** A pipeline issue's code, e.g. `UNKNOWN_STEP_TYPE`. */
  readonly code?: string;
  /** 1-based position in a YAML body. */
  readonly line?: number;
  readonly col?: number;
  /** What to write instead. */
  readonly hint?: string;
}

/**
 * A request the control plane refuses because of what the caller sent or asked for: an unknown
 * pipeline or run, inputs that do not fit, a run in the wrong state. The API answers it with a 4xx;
 * a trigger publishes it as `PipelineRequestRejected`. Nothing was written when it is thrown.
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly code: RequestErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    /** When the same request can succeed later: after how many seconds (the API's `Retry-After`). */
    readonly options: { readonly retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/** True for a {@link RequestError}; compares `name`, since a bundle can hold two copies of the class. */
export function isRequestError(error: unknown): error is RequestError {
  return error instanceof Error && error.name === 'RequestError';
}

/** Step Functions' cap on a state's input, output and task parameters: 256 KiB of UTF-8 JSON. */
export const PAYLOAD_LIMIT_BYTES = 262_144;

/**
 * Step Functions' own error for an oversized payload, which it never retries or catches. The
 * `isRetryable`/`isCatchable` fields are the ones aws-local-stepfunctions reads on a thrown error.
 */
export class PayloadLimitError extends Error {
  override readonly name = 'States.DataLimitExceeded';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** Size of a payload as Step Functions counts it. */
function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/** Returns the error for a payload over the limit, or undefined; `what` names it (`The output of state "X"`). */
export function checkPayloadLimit(value: unknown, what: string): PayloadLimitError | undefined {
  const bytes = payloadBytes(value);
  if (bytes <= PAYLOAD_LIMIT_BYTES) return undefined;
  return new PayloadLimitError(
    `${what} is ${bytes} bytes, over the Step Functions limit of ${PAYLOAD_LIMIT_BYTES} bytes (256 KiB); ` +
      'keep large values in S3 and pass references',
  );
}

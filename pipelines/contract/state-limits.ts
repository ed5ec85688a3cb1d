/**
 * The execution state's size limit, shared by the compiler (which estimates what a run's state holds
 * besides its inputs, `statemachines/limits.ts`) and the runtime (which checks a run's inputs against
 * the rest before it starts).
 */

/** Step Functions' limit on a state's input or output: 256 KiB. */
export const STATE_PAYLOAD_LIMIT_BYTES = 262_144;

/** An input the execution state has no room for: its name, its size as JSON, and why it does not fit. */
export interface OversizedInput {
  readonly name: string;
  readonly bytes: number;
  /** Follows the input's name: `is 300002 bytes as JSON: …`. */
  readonly reason: string;
}

/**
 * The inputs a run's execution state has no room for. The state holds every input beside up to
 * `stateBytes` (the spec bundle's `stateBytes`, `statemachines/limits.ts`) and must fit Step Functions' 256 KiB; when it
 * would not, these are the largest inputs, largest first, without which the rest fits: the ones to
 * pass by reference. Empty when the inputs fit.
 *
 * @example
 * oversizedInputs({ doc: 'x'.repeat(300_000) }, 4096); // [{ name: 'doc', bytes: 300002, reason: 'is 300002 bytes …' }]
 */
export function oversizedInputs(
  inputs: Readonly<Record<string, unknown>>,
  stateBytes: number,
): OversizedInput[] {
  const total = jsonBytes(inputs);
  let excess = total + stateBytes - STATE_PAYLOAD_LIMIT_BYTES;
  const largestFirst = Object.entries(inputs)
    .map(([name, value]) => ({ name, bytes: jsonBytes(value) }))
    .sort((a, b) => b.bytes - a.bytes);
  const oversized: OversizedInput[] = [];
  for (const { name, bytes } of largestFirst) {
    if (excess <= 0) break;
    excess -= bytes;
    const reason =
      `is ${bytes} bytes as JSON: with all the inputs (${total} bytes) and up to ${stateBytes} bytes of run ` +
      `identity, variables and step references, the execution state could reach ${total + stateBytes} bytes, ` +
      `over Step Functions' limit of ${STATE_PAYLOAD_LIMIT_BYTES} bytes (256 KiB) per state`;
    oversized.push({ name, bytes, reason });
  }
  return oversized;
}

/** The size of a value as UTF-8 JSON, as Step Functions counts a state's payload. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

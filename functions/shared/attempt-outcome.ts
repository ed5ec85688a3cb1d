import type { AttemptRecord } from '../ports/attempts.js';

/**
 * Whether an attempt answered its step: it succeeded and was not an agent's tool turn. A tool turn
 * succeeds as a call but leaves the step's loop going; only the turn that answers in text ends it,
 * so a step whose tool turns succeeded and whose loop then failed (`Agent.MaxTurns`) did not succeed.
 */
export function answeredStep(attempt: AttemptRecord): boolean {
  return attempt.status === 'SUCCEEDED' && !attempt.toolCalls?.length;
}

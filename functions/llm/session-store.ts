import type { SessionRef } from '../../pipelines/contract/spec-bundle.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { ChatMessage } from '../ports/provider.js';
import { artifactKeys } from '../shared/artifact-keys.js';

/** One stored exchange of a conversation, and which step attempt made it. */
export interface SessionTurn {
  readonly user: string;
  readonly assistant: string;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly at: string;
}

/** A conversation as read: its turns, oldest first, and the index the next turn takes. */
export interface SessionHistory {
  readonly turns: readonly SessionTurn[];
  readonly nextIndex: number;
}

/**
 * The stored conversations of `claude_session` steps (pipeline_ex kept them in process memory:
 * defect 24). Each turn is its own S3 object, written once and never rewritten, keyed by its index
 * in the conversation, so a retried attempt never loses or duplicates an earlier turn. Two runs
 * appending to one conversation at the same moment both keep their turn; the order between those two
 * is then by run id.
 */
export class SessionStore {
  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly tenantId: string,
    private readonly runId: string,
  ) {}

  /** The conversation's turns, at most the last `lastN` when given. */
  async read(session: SessionRef, lastN?: number): Promise<SessionHistory> {
    const keys = await this.artifacts.list(artifactKeys.sessionTurns(this.tenantId, session, this.runId));
    const wanted = lastN === undefined ? keys : keys.slice(Math.max(0, keys.length - lastN));
    const turns = await Promise.all(wanted.map((key) => this.artifacts.getJson<SessionTurn>(key)));
    return { turns, nextIndex: keys.length };
  }

  /** Stores a turn as the conversation's `index`-th. */
  async append(session: SessionRef, index: number, turn: SessionTurn): Promise<void> {
    const prefix = artifactKeys.sessionTurns(this.tenantId, session, this.runId);
    const name = `${String(index).padStart(6, '0')}-${turn.runId}-${turn.stepId}-${turn.attempt}.json`;
    await this.artifacts.putJson(`${prefix}${name}`, turn);
  }
}

/** Turns as the alternating messages a provider takes. */
export function sessionMessages(turns: readonly SessionTurn[]): ChatMessage[] {
  return turns.flatMap((turn) => [
    { role: 'user' as const, content: turn.user },
    { role: 'assistant' as const, content: turn.assistant },
  ]);
}

/** Turns as text for a `session_context` prompt part. */
export function sessionTranscript(turns: readonly SessionTurn[]): string {
  return turns.map((turn) => `User: ${turn.user}\n\nAssistant: ${turn.assistant}`).join('\n\n');
}

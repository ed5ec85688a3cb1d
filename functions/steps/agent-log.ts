import type { Iteration, StepRef } from '../../pipelines/contract/step-event.js';
import type { AgentToolResult } from '../agent/tools.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { TokenUsage, ToolCall } from '../ports/provider.js';
import { artifactKeys } from '../shared/artifact-keys.js';

/**
 * An agent step's conversation, kept in S3 beside its attempts (`artifactKeys.agentTurn`): the state
 * machine carries only the turn number. Each turn leaves two objects, written once each:
 *
 * - its **reply**, the model's answer, stored as soon as the call returns and before any tool runs,
 *   so a turn retried after its tools started reuses the answer instead of asking (and paying) again;
 * - its **record**, stored when the turn is complete: the answer, the tool results, the files the
 *   turn changed and, for the final answer, the step's reference. A turn retried after its record
 *   was stored (its reply to the state machine was lost) returns the recorded outcome.
 */

/** The model's answer to one turn, with what its attempt records. */
export interface AgentReply {
  readonly turn: number;
  /** The attempt that called the model: a retry reusing the reply records under this number. */
  readonly attempt: number;
  readonly startedAt: string;
  readonly latencyMs: number;
  readonly model: string;
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly stopReason?: string;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly priced: boolean;
  /** What the turn sent besides the conversation: the step's rendered system prompt and prompt. */
  readonly request: { readonly system?: string; readonly prompt: string };
}

/** A completed turn: its reply's answer, what its tool calls returned, and the files they changed. */
export type AgentTurnRecord = Pick<
  AgentReply,
  'turn' | 'attempt' | 'model' | 'text' | 'toolCalls' | 'usage' | 'costUsd'
> & {
  readonly toolResults: readonly AgentToolResult[];
  /** Workspace paths this turn's tool calls changed, in call order. */
  readonly changedPaths: readonly string[];
  /** The final turn's outcome: the step's reference. */
  readonly ref?: StepRef;
};

/** One step's turns, in one iteration of the loops around it. */
export class AgentLog {
  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly where: {
      readonly tenantId: string;
      readonly runId: string;
      readonly stepId: string;
      readonly iteration?: Iteration;
    },
  ) {}

  /** The record of `turn`, or undefined when the turn has not completed. */
  record(turn: number): Promise<AgentTurnRecord | undefined> {
    return getIfStored<AgentTurnRecord>(this.artifacts, this.keys(turn).record);
  }

  /**
   * The records of turns 1 to `last`, oldest first. Each must exist: the state machine asks for a
   * turn only after the one before it returned, which it does once its record is stored.
   */
  async records(last: number): Promise<AgentTurnRecord[]> {
    const turns = Array.from({ length: last }, (_, index) => index + 1);
    return Promise.all(
      turns.map(async (turn) => {
        const record = await this.record(turn);
        if (record === undefined) {
          throw new Error(
            `internal: turn ${turn} of agent step "${this.where.stepId}" has no record at ${this.keys(turn).record}, but a later turn runs`,
          );
        }
        return record;
      }),
    );
  }

  /** The model's stored answer to `turn`, or undefined when the turn has not called the model yet. */
  reply(turn: number): Promise<AgentReply | undefined> {
    return getIfStored<AgentReply>(this.artifacts, this.keys(turn).reply);
  }

  async saveReply(reply: AgentReply): Promise<void> {
    await this.artifacts.putJson(this.keys(reply.turn).reply, reply);
  }

  async saveRecord(record: AgentTurnRecord): Promise<void> {
    await this.artifacts.putJson(this.keys(record.turn).record, record);
  }

  private keys(turn: number) {
    const { tenantId, runId, stepId, iteration } = this.where;
    return artifactKeys.agentTurn(tenantId, runId, stepId, turn, iteration);
  }
}

async function getIfStored<T>(artifacts: ArtifactStore, key: string): Promise<T | undefined> {
  try {
    return await artifacts.getJson<T>(key);
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

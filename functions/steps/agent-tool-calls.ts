import type { AgentToolName } from '../../pipelines/contract/agent.js';
import type { Iteration, RunIdentity } from '../../pipelines/contract/step-event.js';
import { type AgentToolResult, runToolCall } from '../agent/tools.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { AttemptToolCall } from '../ports/attempts.js';
import type { ToolCall } from '../ports/provider.js';
import { iterationSuffix } from '../shared/iteration.js';
import { RunChangeSet } from '../workspaces/run-change-set.js';

/** Longest tool input value an attempt record keeps whole (a Write's content is cut, the file path never). */
const RECORDED_INPUT_CHARS = 256;

/** Which turn's calls run, and where. */
export interface TurnCalls {
  readonly run: RunIdentity & { readonly workspaceId: string };
  readonly stepId: string;
  readonly iteration?: Iteration;
  readonly turn: number;
  readonly calls: readonly ToolCall[];
  readonly tools: readonly AgentToolName[];
}

/**
 * Runs a turn's tool calls in order over the run's change set, each applied exactly once: a call is
 * committed with its result under `STEP[i]/turn-N/call-K` (the files it wrote and the note in one
 * PUT, see `RunChangeSet.commit`), and a retried turn takes the committed result of every call that
 * got that far instead of running it again. A refused call (a path outside the workspace, a tool the
 * step does not allow) is a result the model reads, committed like any other.
 */
export async function runTurnToolCalls(
  turn: TurnCalls,
  artifacts: ArtifactStore,
): Promise<AgentToolResult[]> {
  const { tenantId, runId, workspaceId } = turn.run;
  const changes = await RunChangeSet.open(artifacts, { tenantId, runId, workspaceId });
  const results: AgentToolResult[] = [];
  for (const [index, call] of turn.calls.entries()) {
    const key = `${turn.stepId}${iterationSuffix(turn.iteration)}/turn-${turn.turn}/call-${index + 1}`;
    const applied = changes.applied(key) as AgentToolResult | undefined;
    if (applied !== undefined) {
      results.push(applied);
      continue;
    }
    const result = await runToolCall(call, changes.files(), turn.tools);
    await changes.commit(key, result);
    results.push(result);
  }
  return results;
}

/**
 * A turn's calls as its attempt records them: the input as the model wrote it, long values cut (an
 * attempt is a DynamoDB item, at most 400 KB; the turn's record in S3 keeps them whole).
 */
export function attemptToolCalls(
  calls: readonly ToolCall[],
  results: readonly AgentToolResult[],
): AttemptToolCall[] {
  return calls.map((call, index) => {
    const result = results[index];
    return {
      name: call.name,
      input: Object.fromEntries(Object.entries(call.input).map(([field, value]) => [field, cut(value)])),
      isError: result?.isError ?? false,
      ...(result?.errorName === undefined ? {} : { errorName: result.errorName }),
    };
  });
}

function cut(value: unknown): unknown {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined || text.length <= RECORDED_INPUT_CHARS) return value;
  return `${text.slice(0, RECORDED_INPUT_CHARS)}… (${text.length} characters)`;
}

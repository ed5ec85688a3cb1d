import type { ProviderName } from '../../pipelines/contract/models.js';
import type {
  Iteration,
  StepArtifact,
  StepRef,
  StepRunnerEvent,
} from '../../pipelines/contract/step-event.js';
import type { ArtifactRef } from '../ports/artifact-store.js';
import type { AttemptToolCall } from '../ports/attempts.js';
import type { TokenUsage } from '../ports/provider.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { iterationField, iterationOf } from '../shared/iteration.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';

/** One attempt of a step, as it starts: who runs it, and when. */
export interface AttemptContext {
  readonly event: StepRunnerEvent;
  /** The spec's content hash is the attempt's prompt version, unless a prompt pack names another. */
  readonly spec: PromptVersionSource;
  readonly deps: StepRunnerDeps;
  /** Inside a loop body: the iteration, within which `attempt` counts. */
  readonly iteration?: Iteration;
  readonly attempt: number;
  readonly provider: ProviderName;
  readonly startedAt: Date;
  /** An agent step's attempt: the turn it answers (from the event's `agent`). */
  readonly turn?: number;
}

/** Why a fallback answered, and what it answered instead of. */
export interface Degradation {
  readonly reason: string;
  readonly originalError: string;
  readonly cachedFrom?: string;
}

/** Takes the step's next attempt number (in its iteration, inside a loop body) and notes the start time. */
export async function startAttempt(
  event: StepRunnerEvent,
  spec: AttemptContext['spec'],
  deps: StepRunnerDeps,
  provider: ProviderName,
): Promise<AttemptContext> {
  const iteration = iterationOf(event.loop);
  const attempt = await deps.runs.nextAttempt(event.run.tenantId, event.run.runId, event.stepId, iteration);
  const turn = event.agent === undefined ? {} : { turn: event.agent.turn };
  return {
    event,
    spec,
    deps,
    ...iterationField(iteration),
    attempt,
    provider,
    startedAt: deps.now(),
    ...turn,
  };
}

/** What an attempt's prompt version comes from: the spec's hash, or the prompt pack it rendered with. */
export interface PromptVersionSource {
  readonly hash: string;
  readonly promptVersion?: string;
}

/** The prompt version an attempt records: the prompt pack's version (`pack:…`), else the spec's content hash. */
export function promptVersionOf(spec: PromptVersionSource): string {
  return spec.promptVersion ?? `spec:${spec.hash.slice(0, 12)}`;
}

/** The degradation a fallback event describes: its mode, and the failure it answers. */
export function degradationOf(event: StepRunnerEvent, reason: string): Degradation {
  return { reason, originalError: event.recovery?.Error ?? 'unknown' };
}

/**
 * Records a failed attempt: its error with name intact, and the artifact of the answer when there
 * was one (an answer that failed its output schema is kept, for the repair and for the record).
 */
export async function recordFailedAttempt(
  context: AttemptContext,
  model: string,
  error: Error,
  answer?: {
    readonly artifact: Omit<StepArtifact, keyof ArtifactIdentity>;
    readonly usage: TokenUsage;
    readonly costUsd: number;
    readonly priced: boolean;
  },
): Promise<void> {
  const { deps } = context;
  const stored = answer === undefined ? undefined : await putArtifact(context, model, answer.artifact);
  await deps.runs.putAttempt({
    ...identity(context),
    status: 'FAILED',
    model,
    usage: answer?.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
    costUsd: answer?.costUsd ?? 0,
    priced: answer?.priced ?? true,
    latencyMs: elapsedMs(context),
    startedAt: context.startedAt.toISOString(),
    ...(stored === undefined ? {} : { artifactKey: stored.key }),
    error: { name: error.name, message: error.message },
  });
}

/** What a succeeded attempt stores besides its identity. */
export interface SucceededAnswer {
  readonly model: string;
  readonly artifact: Omit<StepArtifact, keyof ArtifactIdentity>;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly priced: boolean;
  readonly degraded?: Degradation;
  readonly fields?: Record<string, unknown>;
  /** An agent turn's tool calls, as run. */
  readonly toolCalls?: readonly AttemptToolCall[];
}

/** Writes the artifact and the attempt record of a succeeded attempt and returns the step reference. */
export async function recordSucceededAttempt(
  context: AttemptContext,
  answer: SucceededAnswer,
): Promise<StepRef> {
  const { event, deps } = context;
  const latencyMs = elapsedMs(context);
  const artifact = { ...answer.artifact, ...(answer.degraded ? { degraded: answer.degraded } : {}) };
  const stored = await putArtifact(context, answer.model, artifact);
  const degraded = answer.degraded
    ? { degraded: true, degradedReason: answer.degraded.reason, originalError: answer.degraded.originalError }
    : {};
  await deps.runs.putAttempt({
    ...identity(context),
    status: 'SUCCEEDED',
    model: answer.model,
    usage: answer.usage,
    costUsd: answer.costUsd,
    priced: answer.priced,
    latencyMs,
    startedAt: context.startedAt.toISOString(),
    artifactKey: stored.key,
    ...degraded,
    ...(answer.toolCalls === undefined ? {} : { toolCalls: answer.toolCalls }),
  });
  return {
    stepId: event.stepId,
    status: 'SUCCEEDED',
    attempt: context.attempt,
    degraded: false,
    artifact: stored,
    provider: context.provider,
    model: answer.model,
    promptVersion: promptVersionOf(context.spec),
    inputTokens: answer.usage.inputTokens,
    outputTokens: answer.usage.outputTokens,
    costUsd: answer.costUsd,
    latencyMs,
    ...degraded,
    ...(answer.fields === undefined ? {} : { fields: answer.fields }),
  };
}

/** The fields of an artifact that say which attempt wrote it. */
type ArtifactIdentity = Pick<
  StepArtifact,
  'stepId' | 'iteration' | 'attempt' | 'provider' | 'model' | 'promptVersion' | 'latencyMs' | 'startedAt'
>;

function artifactIdentity(context: AttemptContext, model: string): ArtifactIdentity {
  return {
    stepId: context.event.stepId,
    ...iterationField(context.iteration),
    attempt: context.attempt,
    provider: context.provider,
    model,
    promptVersion: promptVersionOf(context.spec),
    latencyMs: elapsedMs(context),
    startedAt: context.startedAt.toISOString(),
  };
}

async function putArtifact(
  context: AttemptContext,
  model: string,
  artifact: Omit<StepArtifact, keyof ArtifactIdentity>,
): Promise<ArtifactRef> {
  const { event } = context;
  const { tenantId, runId } = event.run;
  const key = artifactKeys.attempt(tenantId, runId, event.stepId, context.attempt, context.iteration);
  return context.deps.artifacts.putJson(key, { ...artifactIdentity(context, model), ...artifact });
}

function identity(context: AttemptContext) {
  const { tenantId, runId } = context.event.run;
  return {
    tenantId,
    runId,
    stepId: context.event.stepId,
    ...iterationField(context.iteration),
    attempt: context.attempt,
    provider: context.provider,
    promptVersion: promptVersionOf(context.spec),
    ...(context.turn === undefined ? {} : { turn: context.turn }),
  };
}

function elapsedMs(context: AttemptContext): number {
  return context.deps.now().getTime() - context.startedAt.getTime();
}

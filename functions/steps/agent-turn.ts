import type { AgentProgress, AgentSpec, AgentTurnReply } from '../../pipelines/contract/agent.js';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { Iteration, StepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { toolDefinitions } from '../agent/tools.js';
import { SessionStore } from '../llm/session-store.js';
import type { AgentTurn, CompletionResult, Provider } from '../ports/provider.js';
import { priceAttempt } from '../providers/pricing.js';
import { ElexirionError, FallbackUnavailableError } from '../shared/errors.js';
import { iterationField, iterationOf, sameIteration } from '../shared/iteration.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import { exposedFields } from '../step-runner/exposed-fields.js';
import { WorkspaceInvalidError } from '../workspaces/workspace-invalid-error.js';
import { AgentLog, type AgentReply, type AgentTurnRecord } from './agent-log.js';
import { attemptToolCalls, runTurnToolCalls } from './agent-tool-calls.js';
import {
  type AttemptContext,
  type Degradation,
  recordFailedAttempt,
  recordSucceededAttempt,
  startAttempt,
} from './attempt-record.js';
import { baseRequest, renderStepPrompt, stopReason } from './llm-request.js';

type AgentStepSpec = LlmStepSpec & { readonly hash: string };

/** What the final turn returns: the step's reference, marked so the loop's Choice ends the loop. */
export type AgentFinalReply = StepRef & { done: true };

/**
 * Runs one turn of an agent step's tool-use loop (`mode: agent_turn`, `agent.turn` = n; see
 * `statemachines/steps/agent.ts`). The conversation lives in S3 (`AgentLog`): the step's rendered
 * prompt is the first user turn, and the records of turns 1 to n-1 follow it.
 *
 * - A turn whose record exists (its reply to the state machine was lost) returns the recorded
 *   outcome; a turn whose model reply exists (the Task died while its tools ran) goes on from that
 *   reply: neither calls the model again.
 * - Otherwise the turn is a new attempt: it needs the run's workspace, and fails with
 *   `Budget.Exceeded` when the step's attempts (failed ones too) have spent `max_budget_usd`; then
 *   it asks the model, with the step's tools, and stores the reply before running any tool.
 * - A reply with tool calls runs them in order over the run's change set, each exactly once (see
 *   `runTurnToolCalls`), records the attempt with its calls and returns `{turn: n+1, done: false}`;
 *   at `max_turns` it records the attempt FAILED and throws `Agent.MaxTurns` instead.
 * - A reply without tool calls is the final answer: stored as the step's artifact like any LLM
 *   answer, with `data: {text, changed_files}` (the paths the step's turns changed), and the step's
 *   reference is returned with `done: true`.
 *
 * A turn with `agent.fallback` (the loop moved to the fallback model) asks the fallback model, and
 * its answers are degraded.
 */
export async function runAgentTurn(
  event: StepRunnerEvent,
  spec: AgentStepSpec,
  deps: StepRunnerDeps,
): Promise<AgentFinalReply | AgentTurnReply> {
  const { agent } = spec;
  const progress = event.agent;
  if (agent === undefined || progress === undefined) {
    throw new Error(`internal: step "${event.stepId}" got an agent turn without its agent spec or turn`);
  }
  const iteration = iterationOf(event.loop);
  const log = new AgentLog(deps.artifacts, {
    tenantId: event.run.tenantId,
    runId: event.run.runId,
    stepId: event.stepId,
    ...iterationField(iteration),
  });
  const recorded = await log.record(progress.turn);
  if (recorded !== undefined) return outcomeOf(recorded, progress);
  const provider = deps.providerFor(spec.family);
  const earlier = await log.records(progress.turn - 1);
  const turn: Turn = { event, spec, agent, deps, progress, earlier, log, iteration };
  const reply = (await log.reply(progress.turn)) ?? (await askModel(turn, provider));
  const context: AttemptContext = {
    event,
    spec,
    deps,
    ...iterationField(iteration),
    attempt: reply.attempt,
    provider: provider.name,
    startedAt: new Date(reply.startedAt),
    turn: progress.turn,
  };
  return reply.toolCalls.length === 0 ? finalAnswer(turn, context, reply) : toolTurn(turn, context, reply);
}

/** Everything one turn works with. */
interface Turn {
  readonly event: StepRunnerEvent;
  readonly spec: AgentStepSpec;
  readonly agent: AgentSpec;
  readonly deps: StepRunnerDeps;
  readonly progress: AgentProgress;
  /** The records of the turns before this one, oldest first. */
  readonly earlier: readonly AgentTurnRecord[];
  readonly log: AgentLog;
  readonly iteration: Iteration | undefined;
}

/** The next turn to take after a turn that called tools, keeping the loop on its fallback model. */
function nextTurn(progress: AgentProgress): AgentTurnReply {
  return {
    turn: progress.turn + 1,
    done: false,
    ...(progress.fallback ? { fallback: progress.fallback } : {}),
  };
}

function outcomeOf(record: AgentTurnRecord, progress: AgentProgress): AgentFinalReply | AgentTurnReply {
  return record.ref === undefined ? nextTurn(progress) : { ...record.ref, done: true };
}

/** A new attempt: checks, the model call, and its reply stored before anything else happens. */
async function askModel(turn: Turn, provider: Provider): Promise<AgentReply> {
  const { event, spec, agent, deps, progress } = turn;
  const context = await startAttempt(event, spec, deps, provider.name);
  const model = progress.fallback === undefined ? spec.model : spec.fallback?.model;
  let sent: AgentReply['request'];
  let result: CompletionResult;
  try {
    if (model === undefined) {
      throw new FallbackUnavailableError(`step "${event.stepId}" names no fallback_model to fall back to`);
    }
    if (event.run.workspaceId === undefined) {
      throw new WorkspaceInvalidError(
        `agent step "${event.stepId}" runs its tools in the run's workspace, and run ${event.run.runId} has none; start the run with --repo DIR (elexirion run) or a workspaceId (the API)`,
      );
    }
    await checkBudget(context, agent);
    const sessions = new SessionStore(deps.artifacts, event.run.tenantId, event.run.runId);
    const rendered = await renderStepPrompt(event, spec, deps.artifacts, sessions);
    sent = {
      ...(rendered.system ? { system: rendered.system } : {}),
      prompt: rendered.prompt,
      ...(rendered.workspaceFiles === undefined ? {} : { workspaceFiles: rendered.workspaceFiles }),
    };
    result = await provider.complete({
      ...baseRequest(context, spec, model),
      ...(rendered.system ? { system: rendered.system } : {}),
      prompt: rendered.prompt,
      tools: toolDefinitions(agent.tools),
      agentTurns: turn.earlier.map(agentTurnOf),
      turn: progress.turn,
    });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    await recordFailedAttempt(context, model ?? spec.model, failure);
    throw failure;
  }
  const reply: AgentReply = {
    turn: progress.turn,
    attempt: context.attempt,
    startedAt: context.startedAt.toISOString(),
    latencyMs: deps.now().getTime() - context.startedAt.getTime(),
    model: result.model,
    text: result.text,
    toolCalls: result.toolCalls ?? [],
    ...stopReason(result),
    usage: result.usage,
    ...priceAttempt(provider.name, result.model, result.usage),
    request: sent,
  };
  await turn.log.saveReply(reply);
  return reply;
}

/**
 * Fails the turn when the step has spent its budget: the cost of every attempt of the step in this
 * iteration, failed ones too, since each was paid for. Checked before a call, so the last turn may
 * end past the cap; the next one does not start.
 */
async function checkBudget(context: AttemptContext, agent: AgentSpec): Promise<void> {
  if (agent.maxBudgetUsd === undefined) return;
  const { event, deps } = context;
  const attempts = await deps.runs.listAttempts(event.run.tenantId, event.run.runId);
  const spent = attempts
    .filter((a) => a.stepId === event.stepId && sameIteration(a.iteration, context.iteration))
    .reduce((sum, a) => sum + a.costUsd, 0);
  if (spent < agent.maxBudgetUsd) return;
  throw new ElexirionError(
    ErrorName.BudgetExceeded,
    `agent step "${event.stepId}" has spent $${spent.toFixed(4)} of its max_budget_usd $${agent.maxBudgetUsd} before turn ${context.turn}; raise max_budget_usd or give the step a smaller task`,
  );
}

/** Runs the reply's tool calls, records the attempt and the turn, and asks for the next turn. */
async function toolTurn(turn: Turn, context: AttemptContext, reply: AgentReply): Promise<AgentTurnReply> {
  const { event, agent, progress } = turn;
  const paid = { usage: reply.usage, costUsd: reply.costUsd, priced: reply.priced };
  const artifact = answerArtifact(reply, { text: reply.text, ...stopReason(reply) });
  if (progress.turn >= agent.maxTurns) {
    const names = reply.toolCalls.map((call) => call.name).join(', ');
    const error = new ElexirionError(
      ErrorName.AgentMaxTurns,
      `agent step "${event.stepId}" used all ${agent.maxTurns} turns of max_turns and turn ${progress.turn} still calls tools (${names}); raise max_turns or give the step a smaller task`,
    );
    await recordFailedAttempt(context, reply.model, error, { artifact, ...paid });
    throw error;
  }
  const workspaceId = event.run.workspaceId as string;
  let results: Awaited<ReturnType<typeof runTurnToolCalls>>;
  try {
    results = await runTurnToolCalls(
      {
        run: { ...event.run, workspaceId },
        stepId: event.stepId,
        ...iterationField(turn.iteration),
        turn: progress.turn,
        calls: reply.toolCalls,
        tools: agent.tools,
      },
      turn.deps.artifacts,
    );
  } catch (error) {
    // The store failed under a tool: the reply is kept, so a retry runs the calls not committed yet.
    const failure = error instanceof Error ? error : new Error(String(error));
    await recordFailedAttempt(context, reply.model, failure, { artifact, ...paid });
    throw failure;
  }
  await recordSucceededAttempt(context, {
    model: reply.model,
    artifact,
    ...paid,
    ...degradation(progress),
    toolCalls: attemptToolCalls(reply.toolCalls, results),
  });
  await turn.log.saveRecord({
    ...turnRecord(reply),
    toolCalls: reply.toolCalls,
    toolResults: results,
    changedPaths: results.flatMap((result) => (result.changedPath === undefined ? [] : [result.changedPath])),
  });
  return nextTurn(progress);
}

/** Stores the final answer as the step's artifact and reference, with the files the step changed. */
async function finalAnswer(turn: Turn, context: AttemptContext, reply: AgentReply): Promise<AgentFinalReply> {
  const paid = { usage: reply.usage, costUsd: reply.costUsd, priced: reply.priced };
  const changed = [...new Set(turn.earlier.flatMap((record) => record.changedPaths))];
  const data = { text: reply.text, changed_files: changed };
  const response = { text: reply.text, data, ...stopReason(reply) };
  let fields: Record<string, unknown> | undefined;
  try {
    fields = exposedFields(turn.spec, data);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    await recordFailedAttempt(context, reply.model, failure, {
      artifact: answerArtifact(reply, response),
      ...paid,
    });
    throw failure;
  }
  const ref = await recordSucceededAttempt(context, {
    model: reply.model,
    artifact: answerArtifact(reply, response),
    ...paid,
    ...degradation(turn.progress),
    ...(fields === undefined ? {} : { fields }),
  });
  await turn.log.saveRecord({ ...turnRecord(reply), toolCalls: [], toolResults: [], changedPaths: [], ref });
  return { ...ref, done: true };
}

/** What an attempt's artifact holds of a turn: the task it was sent, and the model's answer. */
function answerArtifact<R>(reply: AgentReply, response: R) {
  return { request: reply.request, response, usage: reply.usage, costUsd: reply.costUsd };
}

function turnRecord(reply: AgentReply) {
  return {
    turn: reply.turn,
    attempt: reply.attempt,
    model: reply.model,
    text: reply.text,
    usage: reply.usage,
    costUsd: reply.costUsd,
  };
}

/** A turn on the fallback model is degraded, as any fallback answer. */
function degradation(progress: AgentProgress): { readonly degraded?: Degradation } {
  return progress.fallback === undefined
    ? {}
    : { degraded: { reason: 'fallback_model', originalError: progress.fallback.Error } };
}

/** An earlier turn as the provider sends it: the answer, its calls, and what they returned. */
function agentTurnOf(record: AgentTurnRecord): AgentTurn {
  return {
    text: record.text,
    toolCalls: record.toolCalls,
    toolResults: record.toolResults.map(({ callId, name, content, isError }) => ({
      callId,
      name,
      content,
      isError,
    })),
  };
}

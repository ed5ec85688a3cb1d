import type { AgentTurnReply } from '../../pipelines/contract/agent.js';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { StepArtifact, StepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { extractAnswer } from '../llm/extraction.js';
import { parseJsonReply } from '../llm/json-reply.js';
import { validateAnswer } from '../llm/output-validation.js';
import type { RenderedPrompt } from '../llm/render-prompt.js';
import { type SessionHistory, SessionStore, sessionMessages } from '../llm/session-store.js';
import type { ChatMessage, CompletionRequest, CompletionResult } from '../ports/provider.js';
import { priceAttempt } from '../providers/pricing.js';
import { FallbackUnavailableError, OutputInvalidError } from '../shared/errors.js';
import { sameIteration } from '../shared/iteration.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import { exposedFields } from '../step-runner/exposed-fields.js';
import { answerWithoutModel } from '../step-runner/fallbacks.js';
import { runAgentTurn } from './agent-turn.js';
import {
  type AttemptContext,
  type Degradation,
  degradationOf,
  recordFailedAttempt,
  recordSucceededAttempt,
  startAttempt,
} from './attempt-record.js';
import { LlmLearning } from './llm-learning.js';
import { baseRequest, renderStepPrompt, stopReason } from './llm-request.js';

/** Output tokens of a `simplified_prompt` fallback: it asks for a brief answer. */
const SIMPLIFIED_MAX_OUTPUT_TOKENS = 1024;

type VersionedLlmSpec = LlmStepSpec & { readonly hash: string };

/**
 * Runs an LLM step, in the mode the state machine asks for: its own call; `repair` (the answer
 * failed the output schema: re-ask with the errors); a fallback (`fallback_model`,
 * `simplified_prompt`, or one that calls no model, see `answerWithoutModel`); one turn of an agent
 * step's tool-use loop (`agent_turn`, see `runAgentTurn`). Every attempt is recorded with its
 * artifact; a failure is rethrown with its name intact so Retry and Catch see it.
 */
export async function runLlmStep(
  event: StepRunnerEvent,
  spec: VersionedLlmSpec,
  deps: StepRunnerDeps,
): Promise<StepRef | AgentTurnReply> {
  switch (event.mode) {
    case undefined:
    case 'repair':
    case 'fallback_model':
    case 'simplified_prompt':
      return callModel(event, spec, deps);
    case 'graceful_degradation':
    case 'emergency_response':
    case 'use_cached_response':
      return answerWithoutModel(event, spec, deps, event.mode);
    case 'agent_turn':
      return runAgentTurn(event, spec, deps);
    case 'manifest':
      throw new Error(`internal: step "${event.stepId}" is an LLM step and writes no manifest`);
  }
}

/** What was sent: the request and its record in the artifact. */
interface SentRequest {
  readonly request: CompletionRequest;
  readonly rendered: RenderedPrompt;
  readonly history?: SessionHistory;
}

async function callModel(
  event: StepRunnerEvent,
  spec: VersionedLlmSpec,
  deps: StepRunnerDeps,
): Promise<StepRef> {
  const provider = deps.providerFor(spec.family);
  const learning = await LlmLearning.prepare(event, spec, deps);
  const context = await startAttempt(event, learning?.version ?? spec, deps, provider.name);
  const degradation =
    event.mode === 'fallback_model' || event.mode === 'simplified_prompt'
      ? degradationOf(event, event.mode)
      : undefined;
  const model = event.mode === 'fallback_model' ? spec.fallback?.model : spec.model;
  let sent: SentRequest;
  let result: CompletionResult;
  try {
    if (model === undefined) {
      throw new FallbackUnavailableError(`step "${event.stepId}" names no fallback_model to fall back to`);
    }
    sent = learning?.pack
      ? await learning.packedRequest(learning.pack, baseRequest(context, spec, model))
      : await buildRequest(context, spec, model);
    result = await provider.complete(sent.request);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    await recordFailedAttempt(context, model ?? spec.model, failure);
    throw failure;
  }
  const usage = result.usage;
  const price = priceAttempt(provider.name, result.model, usage);
  const request = artifactRequest(sent);
  let answer: { readonly text: string; readonly data?: unknown; readonly rawText?: string };
  let fields: Record<string, unknown> | undefined;
  try {
    answer = learning?.pack
      ? learning.interpret(learning.pack, result.text)
      : interpretAnswer(result.text, sent.request, spec);
    fields = exposedFields(spec, answer.data);
  } catch (error) {
    // The answer is kept with the failed attempt: the repair reads it, and it was paid for.
    const failure = error instanceof Error ? error : new Error(String(error));
    const invalid = failure instanceof OutputInvalidError ? { invalid: failure.message } : {};
    await recordFailedAttempt(context, result.model, failure, {
      artifact: {
        request,
        response: { text: result.text, ...invalid, ...stopReason(result) },
        usage,
        costUsd: price.costUsd,
      },
      usage,
      ...price,
    });
    throw failure;
  }
  if (spec.session !== undefined && sent.history !== undefined && event.mode !== 'simplified_prompt') {
    await new SessionStore(deps.artifacts, event.run.tenantId, event.run.runId).append(
      spec.session,
      sent.history.nextIndex,
      {
        user: sent.rendered.prompt,
        assistant: result.text,
        runId: event.run.runId,
        stepId: event.stepId,
        attempt: context.attempt,
        at: context.startedAt.toISOString(),
      },
    );
  }
  const ref = await recordSucceededAttempt(context, {
    model: result.model,
    artifact: { request, response: { ...answer, ...stopReason(result) }, usage, costUsd: price.costUsd },
    usage,
    ...price,
    ...(degradation === undefined ? {} : { degraded: degradation satisfies Degradation }),
    ...(fields === undefined ? {} : { fields }),
  });
  return learning ? learning.record(context, sent.rendered.prompt, answer, ref) : ref;
}

/**
 * Renders the prompt and builds the call: the session's earlier turns as messages, the output schema
 * (also stated in the system prompt, for models without structured output), and for a repair the
 * invalid answer and its errors as the last two turns.
 */
async function buildRequest(
  context: AttemptContext,
  spec: VersionedLlmSpec,
  model: string,
): Promise<SentRequest> {
  const { event, deps } = context;
  const sessions = new SessionStore(deps.artifacts, event.run.tenantId, event.run.runId);
  const [rendered, history] = await Promise.all([
    renderStepPrompt(event, spec, deps.artifacts, sessions),
    spec.session === undefined ? undefined : sessions.read(spec.session, spec.session.maxTurns),
  ]);
  const base = baseRequest(context, spec, model);
  if (event.mode === 'simplified_prompt') {
    const prompt = `Provide a brief, simple response to the following request.\n\n${rendered.prompt}`;
    const request = {
      ...base,
      prompt,
      maxOutputTokens: Math.min(spec.maxOutputTokens, SIMPLIFIED_MAX_OUTPUT_TOKENS),
    };
    return { request, rendered: { prompt } };
  }
  const schema = spec.outputSchema;
  const system = [rendered.system, schema === undefined ? undefined : schemaInstruction(schema)]
    .filter(Boolean)
    .join('\n\n');
  const earlier: ChatMessage[] = history === undefined ? [] : sessionMessages(history.turns);
  const repair = event.mode === 'repair' ? await repairTurns(context, rendered.prompt) : undefined;
  const messages = repair === undefined ? earlier : [...earlier, ...repair.messages];
  const request: CompletionRequest = {
    ...base,
    ...(system ? { system } : {}),
    ...(messages.length > 0 ? { messages } : {}),
    prompt: repair?.prompt ?? rendered.prompt,
    ...(schema === undefined ? {} : { outputSchema: schema }),
  };
  return { request, rendered, ...(history === undefined ? {} : { history }) };
}

function schemaInstruction(schema: Readonly<Record<string, unknown>>): string {
  return Object.keys(schema).length === 0
    ? 'Answer with one JSON value and nothing else.'
    : `Answer with one JSON value and nothing else, matching this JSON Schema:\n${JSON.stringify(schema)}`;
}

/**
 * The turns of a repair: the original prompt, the invalid answer (from the artifact of the latest
 * attempt of this iteration that failed with Output.Invalid), and a prompt quoting the validation
 * errors.
 */
async function repairTurns(
  context: AttemptContext,
  originalPrompt: string,
): Promise<{ readonly messages: ChatMessage[]; readonly prompt: string }> {
  const { event, deps } = context;
  const attempts = await deps.runs.listAttempts(event.run.tenantId, event.run.runId);
  const invalid = attempts
    .filter(
      (a) =>
        a.stepId === event.stepId &&
        sameIteration(a.iteration, context.iteration) &&
        a.error?.name === ErrorName.OutputInvalid &&
        a.artifactKey,
    )
    .at(-1);
  const previous =
    invalid?.artifactKey === undefined
      ? undefined
      : await deps.artifacts.getJson<StepArtifact>(invalid.artifactKey);
  const errors = event.recovery?.Cause ?? 'the answer did not match the output schema';
  const prompt =
    `Your answer was rejected: ${errors}\n\n` +
    'Reply again with only the corrected JSON value, matching the JSON Schema in the instructions.';
  const messages: ChatMessage[] =
    previous === undefined
      ? []
      : [
          { role: 'user', content: originalPrompt },
          { role: 'assistant', content: previous.response.text },
        ];
  return { messages, prompt };
}

/**
 * The step's result from the model's text: with an output schema, the validated JSON (or
 * `Output.Invalid`); for `claude_extract`'s text formats, the post-processed text and fields;
 * otherwise the text, with its JSON when it is JSON. A `simplified_prompt` answer is not held to
 * the schema: it is degraded anyway.
 */
function interpretAnswer(
  text: string,
  request: CompletionRequest,
  spec: VersionedLlmSpec,
): { readonly text: string; readonly data?: unknown; readonly rawText?: string } {
  if (spec.outputSchema !== undefined && request.outputSchema !== undefined) {
    return { text, data: validateAnswer(text, spec.outputSchema, spec.hash) };
  }
  if (spec.extraction !== undefined && spec.outputSchema === undefined) {
    return { ...extractAnswer(text, spec.extraction), rawText: text };
  }
  const data = parseJsonReply(text);
  return data === undefined ? { text } : { text, data };
}

function artifactRequest(sent: SentRequest): StepArtifact['request'] {
  const { system, messages, prompt } = sent.request;
  const { workspaceFiles } = sent.rendered;
  return {
    ...(system === undefined ? {} : { system }),
    ...(messages === undefined ? {} : { messages }),
    prompt,
    ...(workspaceFiles === undefined ? {} : { workspaceFiles }),
  };
}

import type { LlmStepSpec } from '../../../statemachines/types.js';
import { artifactKeys } from '../artifact-keys.js';
import { parseJsonReply } from '../json-reply.js';
import type { Provider } from '../ports/provider.js';
import { priceAttempt } from '../providers/pricing.js';
import { renderPrompt, stepsReadBy } from '../render-prompt.js';
import type { StepArtifact, StepRef, StepRunnerEvent } from '../step-event.js';
import type { StepRunnerDeps } from '../step-runner.js';
import { TemplateScope } from '../template-scope.js';

/**
 * Runs an LLM step: renders its prompt, calls the provider, stores the artifact and the attempt's
 * metrics, and returns a small reference. A failure is recorded as a failed attempt, then rethrown
 * with its name intact so the state machine's Retry and Catch see it.
 */
export async function runLlmStep(
  event: StepRunnerEvent,
  spec: LlmStepSpec & { readonly hash: string },
  deps: StepRunnerDeps,
): Promise<StepRef> {
  const { tenantId, runId } = event.run;
  const attempt = await deps.runs.nextAttempt(tenantId, runId, event.stepId);
  const provider = deps.providerFor(spec.family);
  const promptVersion = `spec:${spec.hash.slice(0, 12)}`;
  const startedAt = deps.now();
  const base = { tenantId, runId, stepId: event.stepId, attempt, provider: provider.name, promptVersion };
  let result: Awaited<ReturnType<Provider['complete']>>;
  let rendered: ReturnType<typeof renderPrompt>;
  try {
    rendered = renderPrompt(spec, await TemplateScope.load(event, stepsReadBy(spec), deps.artifacts));
    result = await provider.complete({
      stepId: event.stepId,
      attempt,
      model: spec.model,
      ...(rendered.system === undefined ? {} : { system: rendered.system }),
      prompt: rendered.prompt,
      maxOutputTokens: spec.maxOutputTokens,
      ...(spec.temperature === undefined ? {} : { temperature: spec.temperature }),
      ...(spec.topP === undefined ? {} : { topP: spec.topP }),
      ...(spec.topK === undefined ? {} : { topK: spec.topK }),
      timeoutMs: spec.timeoutMs,
    });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    await deps.runs.putAttempt({
      ...base,
      status: 'FAILED',
      model: spec.model,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
      costUsd: 0,
      priced: true,
      latencyMs: elapsedMs(startedAt, deps),
      startedAt: startedAt.toISOString(),
      error: { name: failure.name, message: failure.message },
    });
    throw failure;
  }
  const latencyMs = elapsedMs(startedAt, deps);
  const price = priceAttempt(provider.name, result.model, result.usage);
  const data = parseJsonReply(result.text);
  const artifact: StepArtifact = {
    stepId: event.stepId,
    attempt,
    provider: provider.name,
    model: result.model,
    promptVersion,
    request: rendered,
    response: {
      text: result.text,
      ...(data === undefined ? {} : { data }),
      ...(result.stopReason ? { stopReason: result.stopReason } : {}),
    },
    usage: result.usage,
    costUsd: price.costUsd,
    latencyMs,
    startedAt: startedAt.toISOString(),
  };
  const key = artifactKeys.attempt(tenantId, runId, event.stepId, attempt);
  const stored = await deps.artifacts.putJson(key, artifact);
  await deps.runs.putAttempt({
    ...base,
    status: 'SUCCEEDED',
    model: result.model,
    usage: result.usage,
    ...price,
    latencyMs,
    startedAt: startedAt.toISOString(),
    artifactKey: key,
  });
  return {
    stepId: event.stepId,
    status: 'SUCCEEDED',
    attempt,
    degraded: false,
    artifact: stored,
    provider: provider.name,
    model: result.model,
    promptVersion,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    costUsd: price.costUsd,
    latencyMs,
  };
}

function elapsedMs(startedAt: Date, deps: StepRunnerDeps): number {
  return deps.now().getTime() - startedAt.getTime();
}

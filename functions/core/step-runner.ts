import type { LlmStepSpec, ModelFamily, SetVariableStepSpec, SpecBundle } from '../../statemachines/types.js';
import { artifactKeys } from './artifact-keys.js';
import { SpecNotFoundError } from './errors.js';
import { parseJsonReply } from './json-reply.js';
import type { ArtifactStore } from './ports/artifact-store.js';
import type { Provider } from './ports/provider.js';
import type { RunStore } from './ports/run-store.js';
import { priceAttempt } from './providers/pricing.js';
import { renderPrompt, stepsReadBy } from './render-prompt.js';
import type { StepArtifact, StepRef, StepRunnerEvent } from './step-event.js';
import { referencedSteps, TemplateScope } from './template-scope.js';

/** What the step runner needs from the outside world; built once per process by `createDeps`. */
export interface StepRunnerDeps {
  readonly artifacts: ArtifactStore;
  readonly runs: RunStore;
  /** The provider that serves a model family in this process (a real one, or the mock). */
  readonly providerFor: (family: ModelFamily) => Provider;
  /** Reads a spec bundle by key; implementations cache, since bundles are content-addressed. */
  readonly loadBundle: (key: string) => Promise<SpecBundle>;
  readonly now: () => Date;
}

/**
 * Runs one step of one run: an LLM step renders its prompt, calls the provider, stores the artifact
 * and the attempt's metrics, and returns a small reference; a `set_variable` step returns the new
 * variables. Provider failures are recorded, then rethrown with their name intact so the state
 * machine's Retry and Catch see them.
 *
 * @example
 * const ref = await runStep({ stepId: 'plan', run, inputs, global_vars: {}, steps: {} }, deps);
 */
export async function runStep(
  event: StepRunnerEvent,
  deps: StepRunnerDeps,
): Promise<StepRef | Record<string, unknown>> {
  const bundle = await deps.loadBundle(event.run.bundleKey);
  const spec = bundle.steps[event.stepId];
  if (!spec) {
    throw new SpecNotFoundError(`spec bundle ${event.run.bundleKey} has no step "${event.stepId}"`);
  }
  return spec.kind === 'llm' ? runLlmStep(event, spec, deps) : runSetVariableStep(event, spec, deps);
}

async function runLlmStep(
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

async function runSetVariableStep(
  event: StepRunnerEvent,
  spec: SetVariableStepSpec,
  deps: StepRunnerDeps,
): Promise<Record<string, unknown>> {
  const values = Object.values(spec.variables);
  const scope = await TemplateScope.load(event, referencedSteps(values), deps.artifacts);
  const evaluated = Object.fromEntries(
    Object.entries(spec.variables).map(([name, value]) => [name, scope.evaluate(value)]),
  );
  return { ...event.global_vars, ...evaluated };
}

function elapsedMs(startedAt: Date, deps: StepRunnerDeps): number {
  return deps.now().getTime() - startedAt.getTime();
}

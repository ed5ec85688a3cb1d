import type { LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { loadSessionTexts, type RenderedPrompt, renderPrompt, stepsReadBy } from '../llm/render-prompt.js';
import type { SessionStore } from '../llm/session-store.js';
import { TemplateScope } from '../llm/template-scope.js';
import { readWorkspaceFileParts } from '../llm/workspace-file.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { CompletionResult } from '../ports/provider.js';
import { iterationField } from '../shared/iteration.js';
import type { AttemptContext } from './attempt-record.js';
import type { BaseRequest } from './llm-learning.js';

/**
 * The pieces of a model call every LLM step builds alike, whether it makes one call (`llm-step.ts`)
 * or a loop of turns (`agent-turn.ts`).
 */

/** The request's fields that do not depend on the prompt. */
export function baseRequest(context: AttemptContext, spec: LlmStepSpec, model: string): BaseRequest {
  return {
    stepId: context.event.stepId,
    attempt: context.attempt,
    ...iterationField(context.iteration),
    model,
    maxOutputTokens: spec.maxOutputTokens,
    ...(spec.temperature === undefined ? {} : { temperature: spec.temperature }),
    ...(spec.topP === undefined ? {} : { topP: spec.topP }),
    ...(spec.topK === undefined ? {} : { topK: spec.topK }),
    timeoutMs: spec.timeoutMs,
  };
}

/**
 * The step's system prompt and prompt, rendered: the artifacts of the earlier steps its templates
 * and `previous_response` parts read, and the turns its `session_context` parts show, are loaded
 * first; then the files its `workspace_file` parts name, whose paths may read those artifacts.
 */
export async function renderStepPrompt(
  event: StepRunnerEvent,
  spec: LlmStepSpec,
  artifacts: ArtifactStore,
  sessions: SessionStore,
): Promise<RenderedPrompt> {
  const [scope, sessionTexts] = await Promise.all([
    TemplateScope.load(event, stepsReadBy(spec), artifacts),
    loadSessionTexts(spec, sessions),
  ]);
  const files = await readWorkspaceFileParts(event, spec.prompt, scope, artifacts);
  return renderPrompt(spec, scope, sessionTexts, files);
}

/** The provider's stop reason, as the artifact's response records it (nothing when unknown). */
export function stopReason(result: Pick<CompletionResult, 'stopReason'>): { readonly stopReason?: string } {
  return result.stopReason ? { stopReason: result.stopReason } : {};
}

import type { z } from 'zod';
import { type AgentSpec, DEFAULT_MAX_TURNS } from '../../pipelines/contract/agent.js';
import type { LlmStepSpec, PromptPartSpec, SessionRef } from '../../pipelines/contract/spec-bundle.js';
import { resolveModel } from '../../pipelines/models.js';
import type { PromptPart, Workflow } from '../../pipelines/schema.js';
import { type AgentFields, agentTools } from '../../pipelines/steps/agent-fields.js';
import type { ClaudePreset, claudeOptions, tokenBudget } from '../../pipelines/steps/llm-fields.js';
import type { Pipeline } from '../../pipelines/types.js';
import { PRESETS } from '../presets.js';

/** Output tokens of a step that names none, with no preset. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
/** Provider timeout of a step that names none, with no preset and no `defaults.timeout_seconds`. */
export const DEFAULT_TIMEOUT_MS = 120_000;

type ClaudeOptions = z.infer<typeof claudeOptions>;
type TokenBudget = z.infer<typeof tokenBudget>;

/** What a Claude call is built from: a step, or a task of a batch step. */
export interface ClaudeSource {
  readonly prompt: readonly PromptPart[];
  readonly claude_options?: ClaudeOptions | undefined;
  readonly output_schema?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The spec of one Claude call. Settings are merged from the lowest layer up: the workflow's
 * `defaults` (`claude_model`, `timeout_seconds`, `claude_options`), then the preset, then the step's
 * own `claude_options`. A `fallback_model` from any layer becomes the spec's fallback model; the
 * preset's is left out when `presetFallbackModel` is false (a preset nobody named brings none).
 */
export function claudeSpec(
  source: ClaudeSource,
  pipeline: Pipeline,
  preset?: ClaudePreset,
  { presetFallbackModel = true }: { readonly presetFallbackModel?: boolean } = {},
): LlmStepSpec {
  const defaults = pipeline.workflow.defaults;
  const settings = preset === undefined ? undefined : PRESETS[preset];
  const options: ClaudeOptions = {
    ...defaults?.claude_options,
    ...(settings && {
      max_tokens: settings.maxOutputTokens,
      timeout_ms: settings.timeoutMs,
      ...(settings.model && { model: settings.model }),
      ...(presetFallbackModel && settings.fallbackModel && { fallback_model: settings.fallbackModel }),
    }),
    ...source.claude_options,
  };
  const system = [options.system_prompt, options.append_system_prompt].filter(Boolean).join('\n\n');
  return {
    kind: 'llm',
    family: 'claude',
    model: resolveModel('claude', options.model ?? defaults?.claude_model),
    ...(system ? { system } : {}),
    prompt: promptSpec(source.prompt, pipeline),
    maxOutputTokens: options.max_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    timeoutMs: options.timeout_ms ?? defaultTimeoutMs(pipeline.workflow),
    ...(source.output_schema === undefined ? {} : { outputSchema: source.output_schema }),
    ...(options.fallback_model === undefined
      ? {}
      : { fallback: { model: resolveModel('claude', options.fallback_model), actions: [] } }),
    ...(preset === undefined ? {} : { preset }),
  };
}

/** What a Gemini call is built from. */
export interface GeminiSource {
  readonly prompt: readonly PromptPart[];
  readonly model?: string | undefined;
  readonly token_budget?: TokenBudget | undefined;
  readonly timeout_ms?: number | undefined;
  readonly output_schema?: Readonly<Record<string, unknown>> | undefined;
}

/** The spec of one Gemini call: the step's settings over `defaults.gemini_model` and `gemini_token_budget`. */
export function geminiSpec(source: GeminiSource, pipeline: Pipeline): LlmStepSpec {
  const defaults = pipeline.workflow.defaults;
  const budget = { ...defaults?.gemini_token_budget, ...source.token_budget };
  return {
    kind: 'llm',
    family: 'gemini',
    model: resolveModel('gemini', source.model ?? defaults?.gemini_model),
    prompt: promptSpec(source.prompt, pipeline),
    maxOutputTokens: budget.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    ...(budget.temperature === undefined ? {} : { temperature: budget.temperature }),
    ...(budget.top_p === undefined ? {} : { topP: budget.top_p }),
    ...(budget.top_k === undefined ? {} : { topK: budget.top_k }),
    timeoutMs: source.timeout_ms ?? defaultTimeoutMs(pipeline.workflow),
    ...(source.output_schema === undefined ? {} : { outputSchema: source.output_schema }),
  };
}

/**
 * The tool-use loop of a step with agent fields (`claude_options` merged over the workflow's
 * defaults for a `claude` step, the step itself for a `gemini` step); undefined when no tool is
 * left, so the step makes one call.
 */
export function agentSpec(fields: AgentFields): AgentSpec | undefined {
  const tools = agentTools(fields);
  if (tools.length === 0) return undefined;
  return {
    tools,
    maxTurns: fields.max_turns ?? DEFAULT_MAX_TURNS,
    ...(fields.max_budget_usd === undefined ? {} : { maxBudgetUsd: fields.max_budget_usd }),
  };
}

function defaultTimeoutMs(workflow: Workflow): number {
  const seconds = workflow.defaults?.timeout_seconds;
  return seconds === undefined ? DEFAULT_TIMEOUT_MS : seconds * 1000;
}

/** Prompt parts as the step runner renders them, `file` parts with their content bundled. */
export function promptSpec(parts: readonly PromptPart[], pipeline: Pipeline): PromptPartSpec[] {
  return parts.map((part) => partSpec(part, pipeline));
}

function partSpec(part: PromptPart, pipeline: Pipeline): PromptPartSpec {
  switch (part.type) {
    case 'static':
      return { type: 'static', content: part.content };
    case 'file':
      return { type: 'file', path: part.path, content: fileContent(pipeline, part.path) };
    case 'previous_response':
      return part.extract === undefined
        ? { type: 'previous_response', step: part.step }
        : { type: 'previous_response', step: part.step, extract: part.extract };
    case 'session_context':
      return {
        type: 'session_context',
        session: sessionRef(pipeline, part.session_id),
        ...(part.include_last_n === undefined ? {} : { includeLastN: part.include_last_n }),
      };
    case 'workspace_file':
      return { type: 'workspace_file', path: part.path };
  }
}

/** The content of a file the loader read, by the path written in the pipeline. */
export function fileContent(pipeline: Pipeline, path: string): string {
  const content = pipeline.files[path];
  // The loader reads every file part or reports FILE_NOT_FOUND, so this is a bug, not a user error.
  if (content === undefined) throw new Error(`internal: file ${path} was not read by the loader`);
  return content;
}

/**
 * A session by name: run-scoped when a `claude_session` step of this pipeline declares it with
 * `persist: false`, tenant-wide (continued across runs) otherwise.
 */
export function sessionRef(pipeline: Pipeline, name: string): SessionRef {
  const runScoped = pipeline.workflow.steps.some(
    (step) =>
      step.type === 'claude_session' &&
      (step.session_config?.session_name ?? step.name) === name &&
      step.session_config?.persist === false,
  );
  return { name, scope: runScoped ? 'run' : 'tenant' };
}

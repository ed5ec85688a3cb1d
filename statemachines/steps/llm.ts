import { resolveModel } from '../../functions/core/providers/models.js';
import type { ClaudeStep, GeminiStep, PromptPart, Workflow } from '../../pipelines/schema.js';
import type { LlmStepSpec, PromptPartSpec } from '../types.js';
import { type EmitContext, type EmittedStep, singleState } from './context.js';
import { stepResultPath, stepRunnerTask } from './step-runner-task.js';

const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
const DEFAULT_TIMEOUT_MS = 120_000;
/** Room above the provider timeout for reading inputs and writing the artifact and metrics. */
const TASK_TIMEOUT_HEADROOM_SECONDS = 30;

/** Compiles a `claude` or `gemini` step: one step-runner Task and the spec it runs. */
export function emitLlmStep(step: ClaudeStep | GeminiStep, ctx: EmitContext): EmittedStep {
  const spec = step.type === 'claude' ? claudeSpec(step, ctx.pipeline) : geminiSpec(step, ctx.pipeline);
  const state = stepRunnerTask({
    stepId: step.name,
    resultPath: stepResultPath(step.name),
    timeoutSeconds: Math.ceil(spec.timeoutMs / 1000) + TASK_TIMEOUT_HEADROOM_SECONDS,
    next: ctx.next,
  });
  return singleState(step.name, state, spec);
}

function claudeSpec(step: ClaudeStep, pipeline: EmitContext['pipeline']): LlmStepSpec {
  const defaults = pipeline.workflow.defaults;
  // Step options override the workflow's defaults field by field.
  const options = { ...defaults?.claude_options, ...step.claude_options };
  const system = [options.system_prompt, options.append_system_prompt].filter(Boolean).join('\n\n');
  return {
    kind: 'llm',
    family: 'claude',
    model: resolveModel('claude', options.model ?? defaults?.claude_model),
    ...(system ? { system } : {}),
    prompt: promptSpec(step, pipeline),
    maxOutputTokens: options.max_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    timeoutMs: options.timeout_ms ?? defaultTimeoutMs(pipeline.workflow),
  };
}

function geminiSpec(step: GeminiStep, pipeline: EmitContext['pipeline']): LlmStepSpec {
  const defaults = pipeline.workflow.defaults;
  const budget = { ...defaults?.gemini_token_budget, ...step.token_budget };
  return {
    kind: 'llm',
    family: 'gemini',
    model: resolveModel('gemini', step.model ?? defaults?.gemini_model),
    prompt: promptSpec(step, pipeline),
    maxOutputTokens: budget.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    ...(budget.temperature === undefined ? {} : { temperature: budget.temperature }),
    ...(budget.top_p === undefined ? {} : { topP: budget.top_p }),
    ...(budget.top_k === undefined ? {} : { topK: budget.top_k }),
    timeoutMs: step.timeout_ms ?? defaultTimeoutMs(pipeline.workflow),
  };
}

function defaultTimeoutMs(workflow: Workflow): number {
  const seconds = workflow.defaults?.timeout_seconds;
  return seconds === undefined ? DEFAULT_TIMEOUT_MS : seconds * 1000;
}

function promptSpec(step: ClaudeStep | GeminiStep, pipeline: EmitContext['pipeline']): PromptPartSpec[] {
  return step.prompt.map((part) => partSpec(part, pipeline));
}

function partSpec(part: PromptPart, pipeline: EmitContext['pipeline']): PromptPartSpec {
  switch (part.type) {
    case 'static':
      return { type: 'static', content: part.content };
    case 'file':
      return { type: 'file', path: part.path, content: fileContent(pipeline, part.path) };
    case 'previous_response':
      return part.extract === undefined
        ? { type: 'previous_response', step: part.step }
        : { type: 'previous_response', step: part.step, extract: part.extract };
  }
}

function fileContent(pipeline: EmitContext['pipeline'], path: string): string {
  const content = pipeline.files[path];
  // The loader reads every file part or reports FILE_NOT_FOUND, so this is a bug, not a user error.
  if (content === undefined) throw new Error(`internal: file part ${path} was not read by the loader`);
  return content;
}

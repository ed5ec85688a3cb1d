import type { LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { ClaudeStep, GeminiStep } from '../../pipelines/schema.js';
import type { AgentFields } from '../../pipelines/steps/agent-fields.js';
import type { ClaudeExtractStep } from '../../pipelines/steps/claude-extract.js';
import { JSON_EXTRACTION_FORMATS } from '../../pipelines/steps/claude-extract.js';
import type { ClaudeSessionStep } from '../../pipelines/steps/claude-session.js';
import type { ClaudeSmartStep } from '../../pipelines/steps/claude-smart.js';
import type { GeminiInstructorStep } from '../../pipelines/steps/gemini-instructor.js';
import type { Pipeline } from '../../pipelines/types.js';
import { FALLBACK_MODEL_ERRORS, STEP_POLICY } from '../policies.js';
import { resolvePreset } from '../presets.js';
import { emitAgentLoop } from './agent.js';
import type { EmitContext, EmittedStep } from './context.js';
import { withLearning } from './learning-spec.js';
import { emitLlmCall } from './llm-graph.js';
import { agentSpec, claudeSpec, geminiSpec, sessionRef } from './llm-spec.js';
import { stepResultPath } from './step-runner-task.js';

/** Room above the provider timeout for reading inputs and writing the artifact and metrics. */
const TASK_TIMEOUT_HEADROOM_SECONDS = 30;

/** Repairs of an answer that fails its output schema, when the step does not say. */
export const DEFAULT_OUTPUT_SCHEMA_REPAIRS = 2;

/** pipeline_ex's fixed InstructorLite schema, used by a `gemini_instructor` step that declares none. */
export const INSTRUCTOR_DEFAULT_SCHEMA: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: { text: { type: 'string' }, analysis: { type: 'string' }, summary: { type: 'string' } },
  required: ['text'],
};

/** Output tokens of a `gemini_instructor` step, as pipeline_ex's instructor call asks for. */
const INSTRUCTOR_MAX_OUTPUT_TOKENS = 2048;

/** The LLM step types that make one model call. */
export type SingleCallStep =
  | ClaudeStep
  | GeminiStep
  | ClaudeSmartStep
  | ClaudeExtractStep
  | GeminiInstructorStep
  | ClaudeSessionStep;

/**
 * Compiles a one-call LLM step: the step-runner Task with the standard retry policy, plus a repair loop
 * when the step has an output schema and a fallback-model state when it has a fallback model (see
 * `emitLlmCall`).
 */
export function emitLlmStep(step: SingleCallStep, ctx: EmitContext): EmittedStep {
  const spec = llmStepSpec(step, ctx.pipeline);
  if (spec.agent !== undefined) {
    const states = emitAgentLoop(
      {
        name: step.name,
        spec,
        agent: spec.agent,
        callTimeoutSeconds: taskTimeoutSeconds(spec),
        onFailure: [],
        next: ctx.next,
        ...maxTurnsPath(step),
      },
      ctx,
    );
    return { startAt: step.name, states, specs: { [step.name]: spec } };
  }
  const states = emitLlmCall({
    name: step.name,
    stepId: step.name,
    recordPath: stepResultPath(step.name),
    resultPath: stepResultPath(step.name),
    timeoutSeconds: taskTimeoutSeconds(spec),
    retry: STEP_POLICY,
    repairs: repairBudget(spec, step.output_schema_repairs),
    ...(spec.fallback?.model === undefined ? {} : { fallbackModelErrors: FALLBACK_MODEL_ERRORS }),
    onFailure: [],
    next: ctx.next,
  });
  return { startAt: step.name, states, specs: { [step.name]: spec } };
}

/** Where an agent step's `max_turns` is written, when the step itself writes it. */
function maxTurnsPath(step: SingleCallStep): { readonly maxTurnsPath?: readonly string[] } {
  if (step.type === 'gemini') return step.max_turns === undefined ? {} : { maxTurnsPath: ['max_turns'] };
  if (step.type !== 'claude' || step.claude_options?.max_turns === undefined) return {};
  return { maxTurnsPath: ['claude_options', 'max_turns'] };
}

/** TimeoutSeconds of a step-runner Task calling a model: the provider timeout plus headroom. */
export function taskTimeoutSeconds(spec: LlmStepSpec): number {
  return Math.ceil(spec.timeoutMs / 1000) + TASK_TIMEOUT_HEADROOM_SECONDS;
}

/** A `claude` or `gemini` spec with its tool-use loop, when its agent fields leave it tools. */
function withAgent(spec: LlmStepSpec, fields: AgentFields): LlmStepSpec {
  const agent = agentSpec(fields);
  return agent === undefined ? spec : { ...spec, agent };
}

/** How many repairs a spec gets: none without an output schema. */
export function repairBudget(spec: LlmStepSpec, declared: number | undefined): number {
  return spec.outputSchema === undefined ? 0 : (declared ?? DEFAULT_OUTPUT_SCHEMA_REPAIRS);
}

/** The spec of a one-call LLM step, by type. */
export function llmStepSpec(step: SingleCallStep, pipeline: Pipeline): LlmStepSpec {
  const workflow = pipeline.workflow;
  switch (step.type) {
    case 'claude':
      return withAgent(withLearning(claudeSpec(step, pipeline), step, pipeline), {
        ...workflow.defaults?.claude_options,
        ...step.claude_options,
      });
    case 'gemini':
      return withAgent(withLearning(geminiSpec(step, pipeline), step, pipeline), step);
    case 'claude_smart':
      return claudeSpec(step, pipeline, resolvePreset(step, workflow));
    case 'claude_extract': {
      const config = step.extraction_config;
      const format = config?.format ?? 'text';
      // A JSON format without a schema still asks for JSON: `{}` accepts any JSON value.
      const outputSchema = JSON_EXTRACTION_FORMATS.includes(format) ? (step.output_schema ?? {}) : undefined;
      return {
        ...claudeSpec({ ...step, output_schema: outputSchema }, pipeline, resolvePreset(step, workflow)),
        extraction: {
          format,
          postProcessing: config?.post_processing ?? [],
          maxSummaryLength: config?.max_summary_length ?? 500,
          includeMetadata: config?.include_metadata ?? false,
        },
      };
    }
    case 'gemini_instructor':
      return geminiSpec(
        {
          prompt: step.prompt,
          model: step.model,
          timeout_ms: step.timeout_ms,
          token_budget: {
            max_output_tokens:
              step.max_output_tokens ??
              workflow.defaults?.gemini_token_budget?.max_output_tokens ??
              INSTRUCTOR_MAX_OUTPUT_TOKENS,
            ...(step.temperature === undefined ? {} : { temperature: step.temperature }),
          },
          output_schema: step.output_schema ?? step.schema ?? INSTRUCTOR_DEFAULT_SCHEMA,
        },
        pipeline,
      );
    case 'claude_session': {
      const config = step.session_config;
      const session = sessionRef(pipeline, config?.session_name ?? step.name);
      return {
        ...claudeSpec(step, pipeline, resolvePreset(step, workflow)),
        session: config?.max_turns === undefined ? session : { ...session, maxTurns: config.max_turns },
      };
    }
  }
}

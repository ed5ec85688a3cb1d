import { z } from 'zod';
import type { InputDecl } from './contract/step-options.js';
import { agentFields } from './steps/agent-fields.js';
import { claudeBatchStep } from './steps/claude-batch.js';
import { claudeExtractStep } from './steps/claude-extract.js';
import { claudeRobustStep } from './steps/claude-robust.js';
import { claudeSessionStep } from './steps/claude-session.js';
import { claudeSmartStep } from './steps/claude-smart.js';
import { withStepCondition } from './steps/condition.js';
import { dataTransformStep } from './steps/data-transform.js';
import { fileOpsStep } from './steps/file-ops.js';
import { forLoopStep } from './steps/for-loop.js';
import { geminiInstructorStep } from './steps/gemini-instructor.js';
import {
  CLAUDE_PRESETS,
  claudeOptions,
  outputSchemaFields,
  PromptPartSchema,
  prompt,
  role,
  tokenBudget,
} from './steps/llm-fields.js';
import { registerStepSchema } from './steps/nested-steps.js';
import { evaluators, learningFields } from './steps/optimize.js';
import { parallelClaudeStep } from './steps/parallel-claude.js';
import { pipelineStep } from './steps/pipeline.js';
import { outputToFile, stepName } from './steps/step-fields.js';
import { switchStep } from './steps/switch.js';
import { testEchoStep } from './steps/test-echo.js';
import { testStep } from './steps/test-step.js';
import { whileLoopStep } from './steps/while-loop.js';

/**
 * The pipeline file format: pipeline_ex's YAML v2 (`workflow:` at the root, prompts as lists of
 * parts), made strict. Unknown keys are errors, never silently ignored, and every enum is closed.
 *
 * The JSON Schema in `pipelines/pipeline.schema.json` is generated from these definitions.
 */

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'a name starts with a letter or "_" and holds only letters, digits and "_"',
});

/** One part of a prompt; the rendered parts are joined with newlines. */
export { PromptPartSchema };

const claudeStep = z
  .strictObject({
    name: stepName,
    type: z.literal('claude'),
    description: z.string().optional(),
    role,
    prompt,
    claude_options: claudeOptions.optional(),
    output_to_file: outputToFile,
    ...outputSchemaFields,
    ...learningFields,
  })
  .describe('One call to Claude; with claude_options.allowed_tools, a tool-use loop (an agent step).');

const geminiStep = z
  .strictObject({
    name: stepName,
    type: z.literal('gemini'),
    description: z.string().optional(),
    role,
    prompt,
    model: z.string().optional().describe('Gemini model id (default gemini-2.5-flash).'),
    token_budget: tokenBudget.optional(),
    timeout_ms: z.number().int().positive().optional().describe('Provider call timeout (default 120000).'),
    // Gemini's settings sit on the step (pipeline_ex has no gemini options map), so its agent fields do too.
    ...agentFields,
    output_to_file: outputToFile,
    ...outputSchemaFields,
    ...learningFields,
  })
  .describe('One call to Gemini; with allowed_tools, a tool-use loop (an agent step).');

const setVariableStep = z
  .strictObject({
    name: stepName,
    type: z.literal('set_variable'),
    description: z.string().optional(),
    variables: z
      .record(variableName, z.unknown())
      .describe('Values to set; read later as {{global_vars.NAME}}. A value may be a template.'),
    scope: z.literal('global').optional().describe('Only "global" is supported.'),
  })
  .describe('Sets global variables.');

/**
 * A step of the pipeline; `type` selects its kind. Every type takes a step-level `condition:`, except
 * `while_loop`, whose `condition` is its loop condition.
 */
export const StepSchema = z.discriminatedUnion('type', [
  withStepCondition(claudeStep),
  withStepCondition(geminiStep),
  withStepCondition(setVariableStep),
  withStepCondition(claudeSmartStep),
  withStepCondition(claudeExtractStep),
  withStepCondition(geminiInstructorStep),
  withStepCondition(claudeSessionStep),
  withStepCondition(claudeRobustStep),
  withStepCondition(claudeBatchStep),
  withStepCondition(parallelClaudeStep),
  withStepCondition(forLoopStep),
  whileLoopStep,
  withStepCondition(switchStep),
  withStepCondition(testEchoStep),
  withStepCondition(dataTransformStep),
  withStepCondition(fileOpsStep),
  withStepCondition(pipelineStep),
  withStepCondition(testStep),
]);

// Loop bodies, switch cases and inline pipelines hold steps of any type.
registerStepSchema(StepSchema);

/** Declared run input. Runs are checked against these before they start. */
export const InputDeclSchema = z
  .strictObject({
    type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array']).default('string'),
    description: z.string().optional(),
    required: z.boolean().optional().describe('Default true unless a default is given.'),
    default: z.unknown().optional(),
  })
  .describe('A run input, read in templates as {{inputs.NAME}}.') satisfies z.ZodType<InputDecl>;

const defaults = z
  .strictObject({
    claude_model: z.string().optional().describe('Model for Claude steps that name none.'),
    gemini_model: z.string().optional().describe('Model for Gemini steps that name none.'),
    claude_options: claudeOptions.optional().describe("Merged under every Claude step's options."),
    gemini_token_budget: tokenBudget.optional().describe("Merged under every Gemini step's budget."),
    timeout_seconds: z.number().int().positive().optional().describe('Task timeout of every LLM step.'),
    output_dir: z
      .string()
      .optional()
      .describe(
        'Accepted for compatibility with pipeline_ex; ignored: every step output is stored as a run artifact.',
      ),
    claude_preset: z
      .enum(CLAUDE_PRESETS)
      .optional()
      .describe('Preset of claude_* steps that name none (claude and gemini steps have no preset).'),
  })
  .describe('Settings applied to every step that does not set them.');

/** The `workflow:` block. */
export const WorkflowSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/, {
      message: 'a workflow name holds letters, digits, "_" and "-" (at most 80), e.g. code_review',
    })
    .describe('Name of the pipeline; state machines and runs are named after it.'),
  description: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  inputs: z.record(variableName, InputDeclSchema).optional(),
  defaults: defaults.optional(),
  global_vars: z.record(variableName, z.unknown()).optional(),
  evaluators: evaluators.optional().describe('Evaluators added to every step that declares optimize:.'),
  environment: z
    .strictObject({
      mode: z
        .enum(['development', 'production', 'test'])
        .optional()
        .describe('The preset of claude_smart steps with environment_aware: true that name none.'),
      debug_level: z
        .string()
        .optional()
        .describe('Accepted for compatibility with pipeline_ex; ignored: every attempt is recorded.'),
    })
    .optional()
    .describe('Where the pipeline runs; only claude_smart with environment_aware reads it.'),
  workspace_dir: z
    .string()
    .optional()
    .describe('Accepted for compatibility with pipeline_ex; ignored: steps run without a working directory.'),
  checkpoint_enabled: z
    .boolean()
    .optional()
    .describe(
      'Accepted for compatibility with pipeline_ex; ignored: Step Functions keeps the execution history.',
    ),
  checkpoint_dir: z.string().optional().describe('Accepted for compatibility with pipeline_ex; ignored.'),
  steps: z.array(StepSchema).min(1, { message: 'a workflow needs at least one step' }),
});

/** The whole pipeline file. */
export const PipelineFileSchema = z.strictObject({ workflow: WorkflowSchema });

export type PromptPart = z.infer<typeof PromptPartSchema>;
export type Step = z.infer<typeof StepSchema>;
export type ClaudeStep = z.infer<typeof claudeStep>;
export type GeminiStep = z.infer<typeof geminiStep>;
export type SetVariableStep = z.infer<typeof setVariableStep>;
export type Workflow = z.infer<typeof WorkflowSchema>;
export type StepType = Step['type'];

/** Step types that make one model call and answer under `steps.NAME` with one reference. */
export const SINGLE_CALL_LLM_STEP_TYPES: readonly StepType[] = [
  'claude',
  'gemini',
  'claude_smart',
  'claude_extract',
  'gemini_instructor',
  'claude_session',
  'claude_robust',
];

/** Every step type whose attempts call a model, fan-outs included. */
export const LLM_STEP_TYPES: readonly StepType[] = [
  ...SINGLE_CALL_LLM_STEP_TYPES,
  'claude_batch',
  'parallel_claude',
];

/** The step types this version runs; anything else is `UNKNOWN_STEP_TYPE` at load time. */
export const STEP_TYPES: readonly StepType[] = [
  'claude',
  'gemini',
  'set_variable',
  'claude_smart',
  'claude_extract',
  'gemini_instructor',
  'claude_session',
  'claude_robust',
  'claude_batch',
  'parallel_claude',
  'for_loop',
  'while_loop',
  'switch',
  'test_echo',
  'data_transform',
  'file_ops',
  'pipeline',
  'test',
];

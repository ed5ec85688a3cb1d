import { z } from 'zod';

/**
 * The pipeline file format: pipeline_ex's YAML v2 (`workflow:` at the root, prompts as lists of
 * parts), made strict. Unknown keys are errors, never silently ignored, and every enum is closed.
 *
 * The JSON Schema in `pipelines/pipeline.schema.json` is generated from these definitions.
 */

const stepName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, {
    message: 'a step name starts with a letter and holds only letters, digits, "_" and "-" (at most 64)',
  })
  .describe('Unique name of the step; later steps refer to it as {{steps.NAME.text}}.');

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'a name starts with a letter or "_" and holds only letters, digits and "_"',
});

const outputToFile = z
  .string()
  .optional()
  .describe(
    'Accepted for compatibility with pipeline_ex; ignored: every step output is stored as a run artifact.',
  );

const staticPart = z
  .strictObject({
    type: z.literal('static'),
    content: z.string().describe('Text of the part; may contain {{…}} templates.'),
  })
  .describe('Inline text.');

const filePart = z
  .strictObject({
    type: z.literal('file'),
    path: z.string().min(1).describe('Path relative to the pipeline file; read when the pipeline loads.'),
  })
  .describe('The content of a file, read at load time and bundled with the compiled pipeline.');

const previousResponsePart = z
  .strictObject({
    type: z.literal('previous_response'),
    step: stepName.describe('An earlier step whose response is inserted.'),
    extract: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: 'extract is a dot path such as "plan.steps"' })
      .optional()
      .describe('Dot path into the JSON the step answered with; objects are inserted as JSON.'),
  })
  .describe("An earlier step's response.");

/** One part of a prompt; the rendered parts are joined with newlines. */
export const PromptPartSchema = z.discriminatedUnion('type', [staticPart, filePart, previousResponsePart]);

const prompt = z.array(PromptPartSchema).min(1, { message: 'a prompt needs at least one part' });

const claudeOptions = z
  .strictObject({
    model: z.string().optional().describe('Model id or alias (opus, sonnet, haiku).'),
    fallback_model: z
      .string()
      .optional()
      .describe(
        'Accepted for compatibility with pipeline_ex; ignored: fallbacks are routed by the state machine.',
      ),
    max_turns: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Accepted for compatibility; one turn is made.'),
    system_prompt: z.string().optional(),
    append_system_prompt: z.string().optional(),
    max_tokens: z.number().int().positive().optional().describe('Maximum output tokens (default 4096).'),
    timeout_ms: z.number().int().positive().optional().describe('Provider call timeout (default 120000).'),
    allowed_tools: z.array(z.string()).optional().describe('Accepted for compatibility; no tools are run.'),
    disallowed_tools: z.array(z.string()).optional().describe('Accepted for compatibility.'),
    verbose: z.boolean().optional(),
    cwd: z.string().optional().describe('Accepted for compatibility; steps run without a working directory.'),
    output_format: z.enum(['text', 'json', 'stream_json', 'stream-json']).optional(),
  })
  .describe('Options of a Claude step.');

const tokenBudget = z
  .strictObject({
    temperature: z.number().min(0).max(2).optional(),
    max_output_tokens: z.number().int().positive().optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().positive().optional(),
  })
  .describe('Sampling settings of a Gemini step.');

const claudeStep = z
  .strictObject({
    name: stepName,
    type: z.literal('claude'),
    description: z.string().optional(),
    role: z.enum(['brain', 'muscle']).optional().describe('Documentation only.'),
    prompt,
    claude_options: claudeOptions.optional(),
    output_to_file: outputToFile,
  })
  .describe('One call to Claude.');

const geminiStep = z
  .strictObject({
    name: stepName,
    type: z.literal('gemini'),
    description: z.string().optional(),
    role: z.enum(['brain', 'muscle']).optional().describe('Documentation only.'),
    prompt,
    model: z.string().optional().describe('Gemini model id (default gemini-2.5-flash).'),
    token_budget: tokenBudget.optional(),
    timeout_ms: z.number().int().positive().optional().describe('Provider call timeout (default 120000).'),
    output_to_file: outputToFile,
  })
  .describe('One call to Gemini.');

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

/** A step of the pipeline; `type` selects its kind. */
export const StepSchema = z.discriminatedUnion('type', [claudeStep, geminiStep, setVariableStep]);

/** Declared run input. Runs are checked against these before they start. */
export const InputDeclSchema = z
  .strictObject({
    type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array']).default('string'),
    description: z.string().optional(),
    required: z.boolean().optional().describe('Default true unless a default is given.'),
    default: z.unknown().optional(),
  })
  .describe('A run input, read in templates as {{inputs.NAME}}.');

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
      .enum(['development', 'production', 'analysis', 'chat'])
      .optional()
      .describe(
        'Accepted for compatibility with pipeline_ex; ignored: presets apply only to its claude_* step types.',
      ),
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
export type InputDecl = z.infer<typeof InputDeclSchema>;
export type Workflow = z.infer<typeof WorkflowSchema>;
export type StepType = Step['type'];

/** The step types this version runs; anything else is `UNKNOWN_STEP_TYPE` at load time. */
export const STEP_TYPES: readonly StepType[] = ['claude', 'gemini', 'set_variable'];

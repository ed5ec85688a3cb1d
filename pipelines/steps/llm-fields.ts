import { z } from 'zod';
import { jsonSchemaProblems } from '../output-schema.js';
import { agentFields } from './agent-fields.js';
import { stepName } from './step-fields.js';
import { workspaceFilePart } from './workspace-file-part.js';

/**
 * Fields the LLM step types share (`claude`, `gemini`, `claude_smart`, `claude_extract`,
 * `gemini_instructor`, `claude_session`, `claude_robust`, `claude_batch`, `parallel_claude`): prompt
 * parts, Claude options, Gemini sampling, presets and `output_schema`.
 */

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

/** A conversation's stored name, as `session_config.session_name` and `session_context` write it. */
export const sessionName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, {
  message: 'a session name holds letters, digits, "_", "-" and "." (at most 100), e.g. math_tutor',
});

const sessionContextPart = z
  .strictObject({
    type: z.literal('session_context'),
    session_id: sessionName.describe('The session_name of a claude_session conversation.'),
    include_last_n: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Only the last N turns (default: every stored turn).'),
  })
  .describe("The stored turns of a claude_session conversation, as 'User:' / 'Assistant:' text.");

/** One part of a prompt; the rendered parts are joined with newlines. */
export const PromptPartSchema = z.discriminatedUnion('type', [
  staticPart,
  filePart,
  previousResponsePart,
  sessionContextPart,
  workspaceFilePart,
]);

/** A prompt as a list of parts, the form pipeline_ex documents. */
export const promptParts = z.array(PromptPartSchema).min(1, { message: 'a prompt needs at least one part' });

/**
 * A step's prompt: a list of parts, or one string, which loads as one static part. The string is
 * pipeline_ex's shorthand in its newer examples (its own loader refuses it); it loads with a
 * DEPRECATED_SYNTAX warning (`prompt-shorthand.ts`).
 */
export const prompt = z
  .union([promptParts, z.string().describe('One static part (deprecated shorthand).')])
  .transform(
    (value): z.infer<typeof promptParts> =>
      typeof value === 'string' ? [{ type: 'static', content: value }] : value,
  )
  .describe('A list of parts, or one string: a static part (deprecated shorthand).');

const accepted = (what: string) => `Accepted for compatibility with pipeline_ex; ${what}`;

/** Options of a Claude step, of every `claude_*` type and of their tasks. */
export const claudeOptions = z
  .strictObject({
    model: z.string().optional().describe('Model id or alias (opus, sonnet, haiku).'),
    fallback_model: z
      .string()
      .optional()
      .describe(
        'A model to ask when the step still fails after its retries; such an answer is marked degraded.',
      ),
    system_prompt: z.string().optional(),
    append_system_prompt: z.string().optional(),
    max_tokens: z.number().int().positive().optional().describe('Maximum output tokens (default 4096).'),
    timeout_ms: z.number().int().positive().optional().describe('Provider call timeout (default 120000).'),
    ...agentFields,
    verbose: z.boolean().optional(),
    cwd: z
      .string()
      .optional()
      .describe(accepted("agent tools work at the root of the run's workspace, other steps in none.")),
    output_format: z.enum(['text', 'json', 'stream_json', 'stream-json']).optional(),
    debug_mode: z.boolean().optional().describe(accepted('no effect; every attempt is recorded anyway.')),
    telemetry_enabled: z.boolean().optional().describe(accepted('no effect; metrics are always recorded.')),
    cost_tracking: z.boolean().optional().describe(accepted('no effect; every attempt records its cost.')),
  })
  .describe('Options of a Claude step.');

/** Sampling settings of a Gemini step. */
export const tokenBudget = z
  .strictObject({
    temperature: z.number().min(0).max(2).optional(),
    max_output_tokens: z.number().int().positive().optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().positive().optional(),
  })
  .describe('Sampling settings of a Gemini step.');

/** pipeline_ex's documentation-only `role`. */
export const role = z.enum(['brain', 'muscle']).optional().describe('Documentation only.');

/** The presets of pipeline_ex's option builder (reference §13.2). */
export const CLAUDE_PRESETS = ['development', 'production', 'analysis', 'chat', 'test'] as const;

/** A preset's name. */
export type ClaudePreset = (typeof CLAUDE_PRESETS)[number];

/** A `claude_*` step's `preset`. */
export const preset = z
  .enum(CLAUDE_PRESETS)
  .optional()
  .describe('Model, output tokens and timeout to start from; claude_options override them.');

const outputSchema = z
  .record(z.string(), z.unknown())
  .superRefine((schema, ctx) => {
    for (const problem of jsonSchemaProblems(schema)) {
      ctx.addIssue({
        code: 'custom',
        message: `output_schema is not a valid JSON Schema: ${problem.message}`,
        path: [...problem.path],
      });
    }
  })
  .describe(
    "JSON Schema of the step's answer. The answer must be JSON that matches it, or it is sent back " +
      'with the validation errors (see output_schema_repairs); its fields become {{steps.NAME.FIELD}}.',
  );

/** The largest `output_schema_repairs`: each repair is a paid model call. */
export const MAX_OUTPUT_SCHEMA_REPAIRS = 5;

/** `output_schema` and its repair budget, accepted by every LLM step type. */
export const outputSchemaFields = {
  output_schema: outputSchema.optional(),
  output_schema_repairs: z
    .number()
    .int()
    .min(0)
    .max(MAX_OUTPUT_SCHEMA_REPAIRS)
    .optional()
    .describe(
      'How many times an answer that does not match output_schema is sent back with the errors ' +
        '(default 2); then the step fails with Output.Invalid.',
    ),
};

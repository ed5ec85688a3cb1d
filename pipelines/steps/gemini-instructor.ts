import { z } from 'zod';
import { outputSchemaFields, prompt, role } from './llm-fields.js';
import { outputToFile, stepName } from './step-fields.js';

/**
 * `gemini_instructor`: one Gemini call with structured output. The answer must be JSON matching the
 * step's `output_schema` (or `schema`, its pipeline_ex spelling); without either, pipeline_ex's fixed
 * schema `{text, analysis, summary}` with `text` required. pipeline_ex's `functions` is rejected:
 * function calling is not supported (reference defect 28).
 */
export const geminiInstructorStep = z
  .strictObject({
    name: stepName,
    type: z.literal('gemini_instructor'),
    description: z.string().optional(),
    role,
    prompt,
    model: z.string().optional().describe('Gemini model id (default gemini-2.5-flash).'),
    max_output_tokens: z.number().int().positive().optional().describe('Default 2048.'),
    temperature: z.number().min(0).max(2).optional(),
    timeout_ms: z.number().int().positive().optional().describe('Provider call timeout (default 120000).'),
    output_to_file: outputToFile,
    ...outputSchemaFields,
    schema: outputSchemaFields.output_schema.describe('pipeline_ex spelling of output_schema.'),
  })
  .superRefine((step, ctx) => {
    if (step.schema !== undefined && step.output_schema !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['schema'],
        message: 'schema and output_schema say the same thing; keep output_schema and remove schema',
      });
    }
  })
  .describe('One call to Gemini with a structured (JSON Schema) answer.');

/** A `gemini_instructor` step as loaded. */
export type GeminiInstructorStep = z.infer<typeof geminiInstructorStep>;

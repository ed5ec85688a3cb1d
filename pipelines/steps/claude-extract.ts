import { z } from 'zod';
import { POST_PROCESSING_OPERATIONS } from '../contract/step-options.js';
import { claudeOptions, outputSchemaFields, preset, prompt, role } from './llm-fields.js';
import { outputToFile, stepName } from './step-fields.js';

/** The answer formats of `extraction_config.format`. */
export const EXTRACTION_FORMATS = ['text', 'json', 'structured', 'summary', 'markdown'] as const;

/** Formats whose answer is JSON, validated like an `output_schema` answer. */
export const JSON_EXTRACTION_FORMATS: readonly string[] = ['json', 'structured'];

const extractionConfig = z
  .strictObject({
    use_content_extractor: z
      .boolean()
      .optional()
      .describe('Accepted for compatibility with pipeline_ex; the extraction always runs.'),
    format: z
      .enum(EXTRACTION_FORMATS)
      .optional()
      .describe(
        'text (default), summary or markdown: the answer is text, post-processed; json or structured: ' +
          'the answer must be JSON (matching output_schema when one is given).',
      ),
    post_processing: z
      .array(z.enum(POST_PROCESSING_OPERATIONS))
      .optional()
      .describe('Operations run on a text answer, in order; their results become fields of the answer.'),
    max_summary_length: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Characters of the summary (format summary, generate_summary); default 500.'),
    include_metadata: z.boolean().optional().describe('Adds extraction_metadata to the answer.'),
  })
  .superRefine((config, ctx) => {
    if (config.post_processing?.length && JSON_EXTRACTION_FORMATS.includes(config.format ?? 'text')) {
      ctx.addIssue({
        code: 'custom',
        path: ['post_processing'],
        message:
          `post_processing works on text answers, and format ${config.format} asks for JSON; ` +
          'remove post_processing, or describe the fields you want (code_blocks, links, …) in output_schema',
      });
    }
  })
  .describe('How the answer is extracted.');

/**
 * `claude_extract`: one Claude call (preset `analysis` by default) whose answer is extracted: JSON
 * formats are parsed and validated; text formats are post-processed deterministically by the step
 * runner, and the artifact keeps both the raw and the processed text.
 */
export const claudeExtractStep = z
  .strictObject({
    name: stepName,
    type: z.literal('claude_extract'),
    description: z.string().optional(),
    role,
    prompt,
    preset,
    claude_options: claudeOptions.optional().describe('Merged over the preset.'),
    extraction_config: extractionConfig.optional(),
    output_to_file: outputToFile,
    ...outputSchemaFields,
  })
  .superRefine((step, ctx) => {
    const format = step.extraction_config?.format ?? 'text';
    if (step.output_schema !== undefined && !JSON_EXTRACTION_FORMATS.includes(format)) {
      ctx.addIssue({
        code: 'custom',
        path: ['output_schema'],
        message: `output_schema asks for a JSON answer, and extraction_config.format is ${format}; set format: json`,
      });
    }
  })
  .describe('One call to Claude whose answer is extracted and post-processed.');

/** A `claude_extract` step as loaded. */
export type ClaudeExtractStep = z.infer<typeof claudeExtractStep>;

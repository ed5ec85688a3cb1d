import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PipelineFileSchema } from './schema.js';

/** Where the generated schema is kept, next to this module; pipeline files point at it. */
export const PIPELINE_SCHEMA_FILE = fileURLToPath(new URL('./pipeline.schema.json', import.meta.url));

/** The `$id` of the generated schema; editors find the file through the `yaml-language-server` modeline. */
export const PIPELINE_SCHEMA_ID = 'urn:elexirion:pipeline-file';

/**
 * The JSON Schema of pipeline files, generated from `PipelineFileSchema` so the two never disagree.
 * It describes the file as written (zod's input side: fields with defaults are optional). Reference
 * and template checks need the whole file and stay in the loader.
 *
 * @example
 * // first line of a pipeline file, for completion and checks in editors:
 * // # yaml-language-server: $schema=../pipeline.schema.json
 * const schema = pipelineJsonSchema();
 */
export function pipelineJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PipelineFileSchema, { target: 'draft-2020-12', io: 'input' });
  return {
    $schema: generated.$schema,
    $id: PIPELINE_SCHEMA_ID,
    title: 'Elexirion pipeline',
    description: 'A pipeline file: pipeline_ex YAML v2 (a workflow: root with its steps), made strict.',
    ...generated,
  };
}

/** The text of `pipelines/pipeline.schema.json`: the schema as indented JSON with a final newline. */
export function pipelineJsonSchemaText(): string {
  return `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`;
}

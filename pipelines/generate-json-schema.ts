/**
 * Writes `pipelines/pipeline.schema.json` from the zod schema: `npm run schema`. A unit test fails
 * when the committed file differs from what this script would write.
 */
import { writeFile } from 'node:fs/promises';
import { PIPELINE_SCHEMA_FILE, pipelineJsonSchemaText } from './json-schema.js';

await writeFile(PIPELINE_SCHEMA_FILE, pipelineJsonSchemaText());

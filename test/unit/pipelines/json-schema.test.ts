import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  PIPELINE_SCHEMA_FILE,
  pipelineJsonSchema,
  pipelineJsonSchemaText,
} from '../../../pipelines/json-schema.js';
import { compileOutputSchema, jsonSchemaProblems } from '../../../pipelines/output-schema.js';
import { PipelineFileSchema, STEP_TYPES } from '../../../pipelines/schema.js';

type JsonSchema = { readonly [keyword: string]: unknown };

const EXAMPLES = ['hello', 'chain'].map((name) =>
  fileURLToPath(new URL(`../../../pipelines/examples/${name}.yaml`, import.meta.url)),
);

/** The generated schema as ajv, the validator the project uses for JSON Schemas, reads it. */
function conforms(schema: JsonSchema, value: unknown): boolean {
  return compileOutputSchema(schema)(value);
}

/** The schema at a path of keys from `node`, following `$ref`s (into `root`'s `$defs`) on the way. */
function schemaAt(root: JsonSchema, node: unknown, ...keys: string[]): unknown {
  const follow = (inner: unknown): unknown => {
    const ref = (inner as JsonSchema | undefined)?.$ref;
    if (typeof ref !== 'string') return inner;
    return follow(
      ref
        .slice(2)
        .split('/')
        .reduce<unknown>((at, key) => (at as JsonSchema)[key], root),
    );
  };
  return keys.reduce<unknown>((inner, key) => follow((follow(inner) as JsonSchema | undefined)?.[key]), node);
}

async function example(file: string): Promise<Record<string, unknown>> {
  return parse(await readFile(file, 'utf8'));
}

describe('pipelineJsonSchema', () => {
  it('matches pipelines/pipeline.schema.json on disk (run `npm run schema` after changing schema.ts)', async () => {
    expect(await readFile(PIPELINE_SCHEMA_FILE, 'utf8')).toBe(pipelineJsonSchemaText());
  });

  it('names its dialect, id and title', () => {
    expect(pipelineJsonSchema()).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: expect.any(String),
      title: expect.any(String),
    });
  });

  it('is itself a valid JSON Schema', () => {
    expect(jsonSchemaProblems(pipelineJsonSchema())).toEqual([]);
  });

  it('lists exactly the supported step types', () => {
    const schema = pipelineJsonSchema();
    const steps = schemaAt(schema, schema, 'properties', 'workflow', 'properties', 'steps', 'items', 'oneOf');
    expect(
      (steps as JsonSchema[]).map((step) => schemaAt(schema, step, 'properties', 'type', 'const')),
    ).toEqual(STEP_TYPES);
  });

  it.each(EXAMPLES)('accepts %s, as the zod schema does', async (file) => {
    // Prepare
    const data = await example(file);

    // Act & Assess
    expect(conforms(pipelineJsonSchema(), data)).toBe(true);
    expect(PipelineFileSchema.safeParse(data).success).toBe(true);
  });

  it.each([
    ['an unknown step type', (step: Record<string, unknown>) => Object.assign(step, { type: 'checkpoint' })],
    [
      'an unknown step field',
      (step: Record<string, unknown>) => Object.assign(step, { on_error: 'continue' }),
    ],
    ['a prompt that is a number', (step: Record<string, unknown>) => Object.assign(step, { prompt: 3 })],
  ])('rejects %s, as the zod schema does', async (_, change) => {
    // Prepare
    const data = await example(EXAMPLES[0] as string);
    change((data.workflow as { steps: Record<string, unknown>[] }).steps[0] as Record<string, unknown>);

    // Act & Assess
    expect(conforms(pipelineJsonSchema(), data)).toBe(false);
    expect(PipelineFileSchema.safeParse(data).success).toBe(false);
  });

  it('accepts a string prompt (the deprecated shorthand for one static part), as the zod schema does', async () => {
    // Prepare
    const data = await example(EXAMPLES[0] as string);
    Object.assign((data.workflow as { steps: Record<string, unknown>[] }).steps[0] as object, {
      prompt: 'Say hello',
    });

    // Act & Assess
    expect(conforms(pipelineJsonSchema(), data)).toBe(true);
    expect(PipelineFileSchema.safeParse(data).success).toBe(true);
  });

  it.each(EXAMPLES)('is what %s names in its yaml-language-server modeline', async (file) => {
    const firstLine = (await readFile(file, 'utf8')).split('\n')[0] ?? '';
    const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine)?.[1];
    expect(target && resolve(dirname(file), target)).toBe(PIPELINE_SCHEMA_FILE);
  });
});

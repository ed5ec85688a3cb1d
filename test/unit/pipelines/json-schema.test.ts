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
import { PipelineFileSchema, STEP_TYPES } from '../../../pipelines/schema.js';

type JsonSchema = { readonly [keyword: string]: unknown };

const EXAMPLES = ['hello', 'chain'].map((name) =>
  fileURLToPath(new URL(`../../../pipelines/examples/${name}.yaml`, import.meta.url)),
);

/** Keywords `conforms` checks; annotations carry no constraint. */
const CHECKED = [
  'type',
  'const',
  'enum',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'minItems',
];
const NESTED = ['items', 'oneOf', 'properties', 'required', 'additionalProperties', 'propertyNames'];
const ANNOTATIONS = ['$schema', '$id', 'title', 'description', 'default'];

/**
 * A JSON Schema check covering exactly the keywords the generated schema uses (the project has no
 * JSON Schema engine as a dependency); a test below fails if the schema starts using another one.
 */
function conforms(schema: JsonSchema, value: unknown): boolean {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const types = [schema.type ?? []].flat() as string[];
  const typeOk = (type: string) =>
    type === 'object'
      ? isObject
      : type === 'array'
        ? Array.isArray(value)
        : type === 'integer'
          ? Number.isInteger(value)
          : typeof value === type;
  if (types.length > 0 && !types.some(typeOk)) return false;
  if ('const' in schema && value !== schema.const) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return false;
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
    if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
    if (schema.items && !value.every((item) => conforms(schema.items as JsonSchema, item))) return false;
  }
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((option) => conforms(option, value)).length !== 1)
    return false;
  if (isObject) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    if (Array.isArray(schema.required) && !schema.required.every((key) => key in value)) return false;
    for (const [key, inner] of Object.entries(value)) {
      if (schema.propertyNames && !conforms(schema.propertyNames as JsonSchema, key)) return false;
      const rule = properties[key] ?? schema.additionalProperties;
      if (
        rule === false ||
        (typeof rule === 'object' && rule !== null && !conforms(rule as JsonSchema, inner))
      )
        return false;
    }
  }
  return true;
}

function keywordsOf(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keywordsOf(item, found);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return found;
  for (const [keyword, value] of Object.entries(schema)) {
    found.add(keyword);
    if (keyword === 'properties')
      for (const inner of Object.values(value as object)) keywordsOf(inner, found);
    else if (keyword !== 'enum' && keyword !== 'const' && keyword !== 'default') keywordsOf(value, found);
  }
  return found;
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

  it('uses only keywords the check in this test understands', () => {
    expect(
      [...keywordsOf(pipelineJsonSchema())].filter(
        (k) => ![...CHECKED, ...NESTED, ...ANNOTATIONS].includes(k),
      ),
    ).toEqual([]);
  });

  it('lists exactly the supported step types', () => {
    const at = (value: unknown, ...keys: string[]) =>
      keys.reduce<unknown>((inner, key) => (inner as Record<string, unknown> | undefined)?.[key], value);
    const steps = at(pipelineJsonSchema(), 'properties', 'workflow', 'properties', 'steps', 'items', 'oneOf');
    expect((steps as JsonSchema[]).map((step) => at(step, 'properties', 'type', 'const'))).toEqual(
      STEP_TYPES,
    );
  });

  it.each(EXAMPLES)('accepts %s, as the zod schema does', async (file) => {
    // Prepare
    const data = await example(file);

    // Act & Assess
    expect(conforms(pipelineJsonSchema(), data)).toBe(true);
    expect(PipelineFileSchema.safeParse(data).success).toBe(true);
  });

  it.each([
    [
      'an unknown step type',
      (step: Record<string, unknown>) => Object.assign(step, { type: 'claude_smart' }),
    ],
    ['an unknown step field', (step: Record<string, unknown>) => Object.assign(step, { condition: 'x > 1' })],
    ['a string prompt', (step: Record<string, unknown>) => Object.assign(step, { prompt: 'Say hello' })],
  ])('rejects %s, as the zod schema does', async (_, change) => {
    // Prepare
    const data = await example(EXAMPLES[0] as string);
    change((data.workflow as { steps: Record<string, unknown>[] }).steps[0] as Record<string, unknown>);

    // Act & Assess
    expect(conforms(pipelineJsonSchema(), data)).toBe(false);
    expect(PipelineFileSchema.safeParse(data).success).toBe(false);
  });

  it.each(EXAMPLES)('is what %s names in its yaml-language-server modeline', async (file) => {
    const firstLine = (await readFile(file, 'utf8')).split('\n')[0] ?? '';
    const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine)?.[1];
    expect(target && resolve(dirname(file), target)).toBe(PIPELINE_SCHEMA_FILE);
  });
});

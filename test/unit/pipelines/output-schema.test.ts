import { describe, expect, it } from 'vitest';
import {
  compileOutputSchema,
  describeValidationErrors,
  jsonSchemaProblems,
} from '../../../pipelines/output-schema.js';

describe('jsonSchemaProblems', () => {
  it('accepts draft 2020-12 and draft-07 schemas', () => {
    expect(jsonSchemaProblems({ type: 'object', prefixItems: [{ type: 'string' }] })).toEqual([]);
    expect(
      jsonSchemaProblems({
        $schema: 'http://json-schema.org/draft-07/schema#',
        definitions: { a: { type: 'string' } },
      }),
    ).toEqual([]);
  });

  it('reports each mistake once, at its path inside the schema', () => {
    expect(
      jsonSchemaProblems({ type: 'object', properties: { n: { type: 'integr' } }, required: 'n' }),
    ).toEqual([
      {
        path: ['properties', 'n', 'type'],
        message: expect.stringContaining('must be equal to one of the allowed values'),
      },
      { path: ['required'], message: 'must be array' },
    ]);
  });

  it('reports a $ref that resolves to nothing', () => {
    expect(jsonSchemaProblems({ $ref: '#/$defs/missing' })).toEqual([
      { path: [], message: expect.stringContaining("can't resolve reference") },
    ]);
  });

  it('needs a map', () => {
    expect(jsonSchemaProblems('object')).toEqual([{ path: [], message: expect.stringContaining('a map') }]);
  });
});

describe('compileOutputSchema', () => {
  it('compiles a schema with an $id twice, and names each error from `answer`', () => {
    const schema = {
      $id: 'https://example.com/answer.json',
      type: 'object',
      required: ['a'],
      additionalProperties: false,
    };
    compileOutputSchema(schema);
    const validate = compileOutputSchema(schema);

    expect(validate({ b: 1 })).toBe(false);
    expect(describeValidationErrors(validate.errors)).toBe(
      "answer must have required property 'a'\nanswer must NOT have additional properties: 'b'",
    );
  });
});

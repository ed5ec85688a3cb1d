import { describe, expect, it } from 'vitest';
import { schemaInstance } from '../../../../functions/providers/schema-instance.js';
import { compileOutputSchema } from '../../../../pipelines/output-schema.js';

/** Schemas of the kinds pipeline files hold, each of which the instance must satisfy. */
const SCHEMAS: Record<string, Record<string, unknown>> = {
  'required fields and enums': {
    type: 'object',
    required: ['severity'],
    properties: { severity: { enum: ['low', 'high'] }, note: { type: 'string' } },
  },
  'string lengths and formats': {
    type: 'object',
    properties: {
      code: { type: 'string', minLength: 6, maxLength: 8 },
      at: { type: 'string', format: 'date-time' },
      mail: { type: 'string', format: 'email' },
    },
  },
  'number bounds': {
    type: 'object',
    properties: {
      score: { type: 'integer', minimum: 3, maximum: 9 },
      ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1, multipleOf: 0.25 },
      even: { type: 'integer', minimum: 3, multipleOf: 2 },
    },
  },
  'arrays and tuples': {
    type: 'array',
    minItems: 2,
    items: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
  },
  'prefixItems (2020-12)': { type: 'array', prefixItems: [{ type: 'string' }, { type: 'boolean' }] },
  'local $refs and $defs': {
    type: 'object',
    properties: { owner: { $ref: '#/$defs/person' } },
    required: ['owner'],
    $defs: { person: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
  },
  'allOf, anyOf and nullable types': {
    allOf: [
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      { properties: { b: { anyOf: [{ type: 'integer' }, { type: 'null' }] } }, required: ['b'] },
    ],
    properties: { c: { type: ['null', 'boolean'] } },
  },
  'const and required without properties': {
    type: 'object',
    required: ['kind'],
    properties: { kind: { const: 'x' } },
  },
};

describe('schemaInstance', () => {
  it.each(Object.entries(SCHEMAS))('conforms to a schema with %s', (_, schema) => {
    // Act
    const instance = schemaInstance(schema);

    // Assess
    const validate = compileOutputSchema(schema);
    expect(validate(instance), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(schemaInstance(SCHEMAS['number bounds']))).toBe(
      JSON.stringify(schemaInstance(SCHEMAS['number bounds'])),
    );
  });

  it('stops on a recursive $ref instead of looping', () => {
    const tree = {
      $ref: '#/$defs/node',
      $defs: {
        node: { type: 'object', required: ['child'], properties: { child: { $ref: '#/$defs/node' } } },
      },
    };

    expect(() => schemaInstance(tree)).not.toThrow();
  });
});

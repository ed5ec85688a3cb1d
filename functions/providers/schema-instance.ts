/**
 * A small, deterministic value that conforms to a JSON Schema, for the mock provider's unscripted
 * answers to steps with an output schema. It covers the keywords pipeline files use: `type`,
 * `enum`, `const`, `properties` (every declared property is filled, so later steps can read them),
 * `items`, `prefixItems`, `minItems`, string lengths and `format`s, number bounds and `multipleOf`,
 * `allOf` / `anyOf` / `oneOf` (the first branch) and local `$ref`s (`#/$defs/…`, `#/definitions/…`).
 * A `pattern` cannot be inverted in general: its string is the placeholder, which may not match.
 *
 * @example
 * schemaInstance({ type: 'object', properties: { severity: { enum: ['high', 'low'] } } });
 * // { severity: 'high' }
 */
export function schemaInstance(schema: unknown): unknown {
  return instanceOf(schema, schema, 0);
}

type Schema = Readonly<Record<string, unknown>>;

/** Deep enough for real schemas; a recursive `$ref` stops here instead of looping. */
const MAX_DEPTH = 12;

/** Examples of the string formats ajv-formats checks, each valid for its format. */
const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  email: 'mock@example.com',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uri: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function instanceOf(schema: unknown, root: unknown, depth: number): unknown {
  if (schema === true || schema === undefined || depth > MAX_DEPTH) return null;
  if (!isSchema(schema)) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (typeof schema.$ref === 'string') return instanceOf(resolveRef(schema.$ref, root), root, depth + 1);
  const branch = firstOf(schema.anyOf) ?? firstOf(schema.oneOf);
  if (branch !== undefined)
    return instanceOf({ ...withoutKeys(schema, ['anyOf', 'oneOf']), ...branch }, root, depth + 1);
  if (Array.isArray(schema.allOf)) {
    const merged = schema.allOf
      .filter(isSchema)
      .reduce<Schema>((all, part) => mergeSchemas(all, part), withoutKeys(schema, ['allOf']));
    return instanceOf(merged, root, depth + 1);
  }
  switch (typeOf(schema)) {
    case 'object':
      return objectInstance(schema, root, depth);
    case 'array':
      return arrayInstance(schema, root, depth);
    case 'string':
      return stringInstance(schema);
    case 'integer':
      return numberInstance(schema, true);
    case 'number':
      return numberInstance(schema, false);
    case 'boolean':
      return false;
    default:
      return null;
  }
}

function typeOf(schema: Schema): string {
  const type = Array.isArray(schema.type)
    ? (schema.type.find((t) => t !== 'null') ?? schema.type[0])
    : schema.type;
  if (typeof type === 'string') return type;
  if (isSchema(schema.properties) || Array.isArray(schema.required)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return 'null';
}

function objectInstance(schema: Schema, root: unknown, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const value: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties))
    value[name] = instanceOf(property, root, depth + 1);
  const required = Array.isArray(schema.required) ? schema.required.filter((n) => typeof n === 'string') : [];
  for (const name of required) {
    if (!(name in value)) {
      const extra = isSchema(schema.additionalProperties) ? schema.additionalProperties : {};
      value[name] = instanceOf(extra, root, depth + 1);
    }
  }
  return value;
}

function arrayInstance(schema: Schema, root: unknown, depth: number): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const items: unknown[] = prefix.map((item) => instanceOf(item, root, depth + 1));
  while (items.length < min) items.push(instanceOf(schema.items ?? {}, root, depth + 1));
  return items;
}

function stringInstance(schema: Schema): string {
  const format = typeof schema.format === 'string' ? FORMAT_EXAMPLES[schema.format] : undefined;
  if (format !== undefined) return format;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const text = 'mock'.padEnd(min, 'x');
  return text.length <= max ? text : 'x'.repeat(Math.max(min, 0));
}

function numberInstance(schema: Schema, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const step =
    typeof schema.multipleOf === 'number' && schema.multipleOf > 0
      ? schema.multipleOf
      : integer
        ? 1
        : undefined;
  let value = minimum ?? (exclusive === undefined ? 0 : exclusive + (step ?? 1));
  if (exclusive !== undefined && value <= exclusive) value = exclusive + (step ?? 1);
  if (step !== undefined) value = Math.ceil(value / step) * step;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (maximum !== undefined && value > maximum)
    value = step === undefined ? maximum : Math.floor(maximum / step) * step;
  return value;
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return {};
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return node ?? {};
}

/** `allOf` parts merged: later keywords win, except that properties and required lists add up. */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const merged: Record<string, unknown> = { ...a, ...b };
  if (isSchema(a.properties) || isSchema(b.properties)) {
    merged.properties = { ...(a.properties as Schema | undefined), ...(b.properties as Schema | undefined) };
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    merged.required = [...((a.required as unknown[]) ?? []), ...((b.required as unknown[]) ?? [])];
  }
  return merged;
}

function firstOf(list: unknown): Schema | undefined {
  return Array.isArray(list) ? list.find(isSchema) : undefined;
}

function withoutKeys(schema: Schema, keys: readonly string[]): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

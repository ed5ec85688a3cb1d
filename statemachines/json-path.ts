const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A JSONPath reference path from a root and field names: dot notation where the name allows it,
 * bracket notation with single quotes otherwise (`$.steps['fix-bug']`). Step Functions accepts both
 * in reference paths; dot notation keeps the common case readable.
 */
export function referencePath(root: string, fields: readonly string[]): string {
  return fields.reduce(
    (path, field) => (PLAIN_FIELD.test(field) ? `${path}.${field}` : `${path}['${field}']`),
    root,
  );
}

import type { EmitContext } from './context.js';

/**
 * Pass and Task `Parameters` read a key ending in `.$` as a JSONPath, so a literal value the user
 * wrote must not contain one; reports each such key with the field path where it stands.
 */
export function checkLiteralKeys(
  value: unknown,
  path: readonly (string | number)[],
  report: EmitContext['report'],
): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    const here = [...path, Array.isArray(value) ? Number(key) : key];
    if (key.endsWith('.$')) {
      report({
        code: 'INVALID_VALUE',
        path: here,
        message: `the key "${key}" ends in ".$", which Step Functions reads as a JSONPath`,
        hint: `rename the key, e.g. "${key.slice(0, -2)}"`,
      });
    }
    checkLiteralKeys(inner, here, report);
  }
}

const FENCED_JSON = /```(?:json)?\s*\n([\s\S]*?)\n```/;

/**
 * The JSON value a model replied with, if it replied with JSON: the whole text, or the first fenced
 * ```json block (models often wrap JSON in one). Undefined for prose.
 */
export function parseJsonReply(text: string): unknown {
  for (const candidate of [text.trim(), FENCED_JSON.exec(text)?.[1]?.trim()]) {
    if (candidate === undefined || !/^[[{]/.test(candidate)) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // Not JSON after all; try the next candidate.
    }
  }
  return undefined;
}

/** The value at a field path, or undefined when any field on the way is missing. */
export function valueAtPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const field of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[field];
  }
  return current;
}

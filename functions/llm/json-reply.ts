import { fencedBlocks } from './markdown-code.js';

/**
 * The JSON value a model replied with, if it replied with JSON: the whole text, or the first fenced
 * ```json block (models often wrap JSON in one; a fence with no language counts, and `~~~` or longer
 * fences too, see markdown-code.ts). Undefined for prose.
 */
export function parseJsonReply(text: string): unknown {
  const fenced = fencedBlocks(text).find((block) => block.language === '' || block.language === 'json');
  for (const candidate of [text.trim(), fenced?.code.trim()]) {
    if (candidate === undefined || !/^[[{]/.test(candidate)) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // Not JSON after all; try the next candidate.
    }
  }
  return undefined;
}

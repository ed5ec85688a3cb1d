/**
 * The mock provider's answer to a prompt in DSPy's ChatAdapter layout (a prompt pack's, or the LLM
 * judge's): every field the prompt asks for, in `[[ ## field ## ]]` sections, so packed steps run
 * offline. Values are stable per prompt: text for `str`, a number from 0 to 1 for `float`, and so on.
 */

const REQUIREMENTS = 'Respond with the corresponding output fields, starting with the field ';
const REQUESTED = /`\[\[ ## (\w+) ## \]\]`(?: \(must be formatted as a valid Python ([^)]+)\))?/g;

/** The output fields (name and Python type) a ChatAdapter prompt asks for; undefined for any other prompt. */
export function requestedFields(
  prompt: string,
): { readonly name: string; readonly type: string }[] | undefined {
  const at = prompt.lastIndexOf(REQUIREMENTS);
  if (at === -1) return undefined;
  const fields = [...prompt.slice(at).matchAll(REQUESTED)]
    .map((match) => ({ name: match[1] ?? '', type: match[2] ?? 'str' }))
    .filter((field) => field.name !== 'completed');
  return fields.length > 0 ? fields : undefined;
}

/**
 * A reply with a stable value per field: `text` for `str` fields, numbers derived from `hash` (hex).
 *
 * @example
 * mockChatReply([{ name: 'score', type: 'float' }], 'text', '3fa9'); // '[[ ## score ## ]]\n0.2…'
 */
export function mockChatReply(
  fields: readonly { readonly name: string; readonly type: string }[],
  text: string,
  hash: string,
): string {
  const n = Number.parseInt(hash.slice(0, 8), 16);
  const value = (type: string): string => {
    if (type === 'float') return String((n % 101) / 100);
    if (type === 'int') return String(n % 10);
    if (type === 'bool') return n % 2 === 0 ? 'True' : 'False';
    if (type.startsWith('list')) return '[]';
    if (type === 'dict') return '{}';
    return text;
  };
  return `${fields.map((field) => `[[ ## ${field.name} ## ]]\n${value(field.type)}`).join('\n\n')}\n\n[[ ## completed ## ]]`;
}

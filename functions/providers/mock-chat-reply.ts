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

/**
 * A scripted answer to a ChatAdapter prompt, in that layout, so a mock script written for a step's
 * own prompt still answers once the step sends a prompt pack: the text as the one field asked for,
 * or a JSON object's values as the fields it names. Text already in the layout, and text that fits
 * neither case, is returned as written (the step then fails, as a model's unparseable reply would).
 *
 * @example
 * scriptedChatReply([{ name: 'category', type: 'str' }], 'billing'); // '[[ ## category ## ]]\nbilling\n\n[[ ## completed ## ]]'
 */
export function scriptedChatReply(
  fields: readonly { readonly name: string; readonly type: string }[],
  text: string,
): string {
  if (/^\[\[ ## \w+ ## \]\]/m.test(text)) return text;
  const values = fieldValues(fields, text);
  if (values === undefined) return text;
  return `${fields.map((field) => `[[ ## ${field.name} ## ]]\n${values[field.name]}`).join('\n\n')}\n\n[[ ## completed ## ]]`;
}

function fieldValues(
  fields: readonly { readonly name: string }[],
  text: string,
): Record<string, string> | undefined {
  const [only] = fields;
  if (fields.length === 1 && only) {
    const json = parseObject(text);
    const value = json?.[only.name];
    return { [only.name]: value === undefined ? text : shown(value) };
  }
  const json = parseObject(text);
  if (json === undefined || !fields.every((field) => field.name in json)) return undefined;
  return Object.fromEntries(fields.map((field) => [field.name, shown(json[field.name])]));
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

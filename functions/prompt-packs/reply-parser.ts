import { OutputInvalidError } from '../shared/errors.js';
import type { PackField } from './pack-schema.js';
import { pySplitlines, pyStrip } from './python-format.js';

/** A section header of DSPy's reply format (`re.match` on the stripped line, so it anchors at the start). */
const HEADER = /^\[\[ ## ([\p{L}\p{N}_]+) ## \]\]/u;

/** The strings pydantic accepts for a bool, lower-cased. */
const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/**
 * Parses a reply in DSPy's ChatAdapter format into the output fields, as `ChatAdapter.parse` does:
 * lines starting a `[[ ## name ## ]]` section open it (text after the marker on the same line
 * included), the first section of each output field wins, values are stripped and typed. A missing
 * or ill-typed field is `Output.Invalid`. Typing accepts JSON (and pydantic's words for booleans);
 * DSPy also repairs near-JSON, which this does not.
 *
 * @example
 * parseReply('[[ ## category ## ]]\nbilling\n\n[[ ## completed ## ]]', outputs); // { category: 'billing' }
 */
export function parseReply(text: string, outputs: readonly PackField[]): Record<string, unknown> {
  const sections: { header?: string; lines: string[] }[] = [{ lines: [] }];
  for (const line of pySplitlines(text)) {
    const match = HEADER.exec(pyStrip(line));
    if (match?.[1] === undefined) {
      sections.at(-1)?.lines.push(line);
      continue;
    }
    // DSPy matches on the stripped line but slices the unstripped one at the match's end.
    const rest = pyStrip(line.slice(match[0].length));
    sections.push({ header: match[1], lines: rest ? [rest] : [] });
  }
  const fields: Record<string, unknown> = {};
  for (const { header, lines } of sections) {
    const field = outputs.find((output) => output.name === header);
    if (field === undefined || field.name in fields) continue;
    fields[field.name] = parseValue(pyStrip(lines.join('\n')), field);
  }
  const missing = outputs.filter((output) => !(output.name in fields)).map((output) => output.name);
  if (missing.length > 0) {
    throw new OutputInvalidError(`the reply has no [[ ## ${missing.join(' ## ]], [[ ## ')} ## ]] section`);
  }
  return fields;
}

function parseValue(text: string, field: PackField): unknown {
  const value = field.type === 'str' ? text : typed(text, field.type);
  if (value === undefined) {
    throw new OutputInvalidError(
      `field ${field.name} must be a Python ${field.type}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function typed(text: string, type: PackField['type']): unknown {
  const value = parseJson(text);
  const number =
    typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)
      ? Number(value)
      : value;
  switch (type) {
    case 'int':
      return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
    case 'float':
      return typeof number === 'number' ? number : undefined;
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const word = (typeof value === 'number' ? String(value) : text).trim().toLowerCase();
      return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
    }
    case 'list[str]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
    case 'dict':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    case 'str':
      return text;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

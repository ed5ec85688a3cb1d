import type { ChatMessage } from '../ports/provider.js';
import type { PackField, PackSignature, PromptPack } from './pack-schema.js';
import { pyStr, pyStrip } from './python-format.js';

/**
 * DSPy's ChatAdapter layout, for the one message the runtime renders itself: the final user turn
 * (input blocks, then the "Respond with…" sentence). The system and demonstration turns come
 * verbatim from the pack. Mirrors `ChatAdapter.format_user_message_content`,
 * `user_message_output_requirements` and `format_field_value` of the pinned DSPy version.
 */

/** A pack's prompt for one set of inputs, in the core's request shape. */
export interface PackPrompt {
  readonly system: string;
  /** The demonstrations: user and assistant turns, alternating. */
  readonly messages: readonly ChatMessage[];
  /** The final user turn. */
  readonly prompt: string;
}

/**
 * Renders a pack for one set of inputs; DSPy's message list is `[system, ...messages, prompt]`, which
 * the Anthropic and Gemini adapters send as `system` + turns and `systemInstruction` + contents.
 *
 * @example
 * const { system, messages, prompt } = renderPack(pack, { ticket: 'I was charged twice' });
 */
export function renderPack(pack: PromptPack, inputs: Readonly<Record<string, unknown>>): PackPrompt {
  return {
    system: pack.rendered.system,
    messages: pack.rendered.demoMessages,
    prompt: renderUserMessage(pack.signature, inputs),
  };
}

/**
 * The first golden sample of a pack that renders differently here than it did in DSPy, by index;
 * undefined when every sample matches byte for byte.
 */
export function goldenMismatch(pack: PromptPack): number | undefined {
  const index = pack.golden.findIndex((sample) => {
    const { system, messages, prompt } = renderPack(pack, sample.inputs);
    const rendered = [{ role: 'system', content: system }, ...messages, { role: 'user', content: prompt }];
    return JSON.stringify(rendered) !== JSON.stringify(sample.messages);
  });
  return index === -1 ? undefined : index;
}

/** The final user message: a `[[ ## name ## ]]` block per input given, then the output requirements. */
export function renderUserMessage(
  signature: PackSignature,
  inputs: Readonly<Record<string, unknown>>,
): string {
  const blocks = signature.inputs
    .filter((field) => inputs[field.name] !== undefined)
    .map((field) => `[[ ## ${field.name} ## ]]\n${formatFieldValue(field, inputs[field.name])}`);
  // DSPy joins prefix, blocks, requirements and suffix (both empty) with blank lines, then strips.
  return pyStrip(['', ...blocks, outputRequirements(signature.outputs), ''].join('\n\n'));
}

/** The sentence that asks for the output fields in order, naming the Python type of non-`str` ones. */
export function outputRequirements(outputs: readonly PackField[]): string {
  const fields = outputs.map(
    (field) =>
      `\`[[ ## ${field.name} ## ]]\`${field.type === 'str' ? '' : ` (must be formatted as a valid Python ${field.type})`}`,
  );
  return (
    `Respond with the corresponding output fields, starting with the field ${fields.join(', then ')}, ` +
    'and then ending with the marker for `[[ ## completed ## ]]`.'
  );
}

/**
 * A field's value as DSPy writes it: a list given to a `str` field as a numbered list of «blobs»,
 * anything else through Python's `str()` (JSON values as `json.dumps`).
 */
export function formatFieldValue(field: PackField, value: unknown): string {
  if (field.type === 'str' && Array.isArray(value)) return formatList(value.map(String));
  return pyStr(value);
}

function formatList(items: readonly string[]): string {
  if (items.length === 0) return 'N/A';
  if (items.length === 1) return formatBlob(items[0] ?? '');
  return items.map((item, index) => `[${index + 1}] ${formatBlob(item)}`).join('\n');
}

function formatBlob(text: string): string {
  if (!text.includes('\n') && !text.includes('«') && !text.includes('»')) return `«${text}»`;
  return `«««\n    ${text.replaceAll('\n', '\n    ')}\n»»»`;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatFieldValue,
  goldenMismatch,
  outputRequirements,
  renderPack,
} from '../../../../functions/prompt-packs/chat-adapter.js';
import { type PromptPack, PromptPackSchema } from '../../../../functions/prompt-packs/pack-schema.js';

const PACK: PromptPack = PromptPackSchema.parse(
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/dspy-golden/classify.json'), 'utf8'))
    .pack,
);

describe('chat-adapter', () => {
  it('asks for the outputs in order, naming the Python type of non-str ones', () => {
    expect(
      outputRequirements([
        { name: 'category', type: 'str' },
        { name: 'score', type: 'float' },
      ]),
    ).toBe(
      'Respond with the corresponding output fields, starting with the field `[[ ## category ## ]]`, then ' +
        '`[[ ## score ## ]]` (must be formatted as a valid Python float), and then ending with the marker for ' +
        '`[[ ## completed ## ]]`.',
    );
  });

  it('numbers a list given to a str field, and writes other lists as JSON', () => {
    const text = { name: 'notes', type: 'str' } as const;
    expect(formatFieldValue(text, ['one', 'two\nlines'])).toBe('[1] «one»\n[2] «««\n    two\n    lines\n»»»');
    expect(formatFieldValue(text, ['only'])).toBe('«only»');
    expect(formatFieldValue(text, [])).toBe('N/A');
    expect(formatFieldValue({ name: 'tags', type: 'list[str]' }, ['a', 'b'])).toBe('["a", "b"]');
  });

  it("sends the pack's system and demo turns verbatim, then the inputs given", () => {
    // Act
    const { system, messages, prompt } = renderPack(PACK, { ticket: 'Where is my refund?', ignored: 1 });

    // Assess
    expect(system).toBe(PACK.rendered.system);
    expect(messages).toBe(PACK.rendered.demoMessages);
    expect(prompt).toBe(
      '[[ ## ticket ## ]]\nWhere is my refund?\n\nRespond with the corresponding output fields, starting with the ' +
        'field `[[ ## category ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.',
    );
  });

  it('finds a golden sample the runtime would render differently', () => {
    // Prepare
    const [sample] = PACK.golden;
    const tampered = {
      ...PACK,
      golden: [PACK.golden[0], { ...sample, inputs: { ticket: 'other' } }],
    } as PromptPack;

    // Act / Assess
    expect(goldenMismatch(PACK)).toBeUndefined();
    expect(goldenMismatch(tampered)).toBe(1);
  });
});

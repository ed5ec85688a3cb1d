import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../../functions/prompt-packs/reply-parser.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';

const OUTPUTS = [
  { name: 'category', type: 'str' },
  { name: 'urgent', type: 'bool' },
] as const;

describe('parseReply', () => {
  it('reads each output section, the first of each winning, values stripped and typed', () => {
    const text =
      'Sure:\n[[ ## category ## ]]\n billing \n[[ ## urgent ## ]]\nyes\n[[ ## category ## ]]\nbug\n';

    expect(parseReply(text, OUTPUTS)).toStrictEqual({ category: 'billing', urgent: true });
  });

  it('fails with Output.Invalid naming a missing section or a mistyped value', () => {
    expect(() => parseReply('[[ ## category ## ]]\nbug', OUTPUTS)).toThrow(
      expect.objectContaining({ name: ErrorName.OutputInvalid, message: expect.stringContaining('urgent') }),
    );
    expect(() => parseReply('[[ ## category ## ]]\nbug\n[[ ## urgent ## ]]\nperhaps', OUTPUTS)).toThrow(
      expect.objectContaining({ name: ErrorName.OutputInvalid }),
    );
  });
});

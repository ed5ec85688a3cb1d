import { describe, expect, it } from 'vitest';
import { mockChatReply, requestedFields } from '../../../../../functions/core/providers/mock-chat-reply.js';
import { MockProvider } from '../../../../../functions/core/providers/mock-provider.js';

const PROMPT =
  '[[ ## ticket ## ]]\nhi\n\nRespond with the corresponding output fields, starting with the field `[[ ## category ## ]]`, ' +
  'then `[[ ## score ## ]]` (must be formatted as a valid Python float), and then ending with the marker for `[[ ## completed ## ]]`.';

describe('the mock answering a ChatAdapter prompt', () => {
  it('finds the fields a prompt asks for, and none in other prompts', () => {
    expect(requestedFields(PROMPT)).toEqual([
      { name: 'category', type: 'str' },
      { name: 'score', type: 'float' },
    ]);
    expect(requestedFields('Summarize [[ ## this ## ]]')).toBeUndefined();
  });

  it('answers every field with a stable value of its type', async () => {
    // Act
    const mock = new MockProvider();
    const request = {
      stepId: 's',
      attempt: 1,
      model: 'm',
      prompt: PROMPT,
      maxOutputTokens: 10,
      timeoutMs: 10,
    };
    const [first, second] = [await mock.complete(request), await mock.complete(request)];

    // Assess
    expect(first.text).toBe(second.text);
    expect(first.text).toMatch(
      /^\[\[ ## category ## \]\]\n\[mock m\] \w+\n\n\[\[ ## score ## \]\]\n(0|1|0\.\d+)\n\n\[\[ ## completed ## \]\]$/,
    );
    expect(mockChatReply([{ name: 'ok', type: 'bool' }], 't', '00000002')).toBe(
      '[[ ## ok ## ]]\nTrue\n\n[[ ## completed ## ]]',
    );
  });
});

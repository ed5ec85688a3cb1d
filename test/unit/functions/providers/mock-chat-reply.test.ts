import { describe, expect, it } from 'vitest';
import {
  mockChatReply,
  requestedFields,
  scriptedChatReply,
} from '../../../../functions/providers/mock-chat-reply.js';
import { MockProvider } from '../../../../functions/providers/mock-provider.js';

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

  it("puts a script's answer in the layout once the step sends a prompt pack", async () => {
    // Prepare: a script written for the step's own prompt, answering a packed one
    const script = {
      path: 'answers.yaml',
      steps: new Map([['s', [{ kind: 'text' as const, text: 'billing' }]]]),
    };
    const mock = new MockProvider({ script });
    const one = PROMPT.replace(', then `[[ ## score ## ]]` (must be formatted as a valid Python float)', '');

    // Act
    const packed = await mock.complete({
      stepId: 's',
      attempt: 1,
      model: 'm',
      prompt: one,
      maxOutputTokens: 10,
      timeoutMs: 10,
    });
    const own = await mock.complete({
      stepId: 's',
      attempt: 1,
      model: 'm',
      prompt: 'Classify: hi',
      maxOutputTokens: 10,
      timeoutMs: 10,
    });

    // Assess
    expect(packed.text).toBe('[[ ## category ## ]]\nbilling\n\n[[ ## completed ## ]]');
    expect(own.text).toBe('billing');
    const fields = [
      { name: 'category', type: 'str' },
      { name: 'score', type: 'float' },
    ];
    expect(scriptedChatReply(fields, '{"category": "bug", "score": 0.5}')).toBe(
      '[[ ## category ## ]]\nbug\n\n[[ ## score ## ]]\n0.5\n\n[[ ## completed ## ]]',
    );
    expect(scriptedChatReply(fields, 'plain text for two fields')).toBe('plain text for two fields');
    expect(scriptedChatReply(fields, '[[ ## category ## ]]\nbug')).toBe('[[ ## category ## ]]\nbug');
  });
});

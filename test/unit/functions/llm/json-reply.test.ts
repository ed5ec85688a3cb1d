import { describe, expect, it } from 'vitest';
import { parseJsonReply } from '../../../../functions/llm/json-reply.js';

describe('parseJsonReply', () => {
  it('reads a whole JSON reply, or the first fenced json block, and nothing from prose', () => {
    expect(parseJsonReply(' {"a": 1} ')).toEqual({ a: 1 });
    expect(parseJsonReply('Here:\n```json\n{"a": 1}\n```\nDone.')).toEqual({ a: 1 });
    expect(parseJsonReply('Here:\n```\n[1, 2]\n```')).toEqual([1, 2]);
    expect(parseJsonReply('No JSON here.')).toBeUndefined();
  });

  it('reads a tilde fence, and a longer fence whose JSON holds a shorter fence', () => {
    expect(parseJsonReply('Here:\n~~~json\n{"a": 1}\n~~~\n')).toEqual({ a: 1 });
    // The ``` block inside the ```` one is part of its text, not the first fenced block.
    const reply = 'Example:\n````markdown\n```\nnot json\n```\n````\nAnswer:\n```json\n{"a": 2}\n```\n';
    expect(parseJsonReply(reply)).toEqual({ a: 2 });
  });
});

import { describe, expect, it } from 'vitest';
import { judgeAnswer } from '../../../../functions/evaluators/llm-judge.js';
import type { CompletionRequest, Provider } from '../../../../functions/ports/provider.js';

function judgeAnswering(text: string): Provider & { requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  return {
    name: 'anthropic',
    requests,
    async complete(request) {
      requests.push(request);
      return {
        text,
        model: request.model,
        usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0 },
      };
    },
  };
}

const JUDGE = { name: 'judge', kind: 'llm_judge', rubric: 'Names exactly one category.' } as const;
const CALL = {
  model: 'claude-haiku-4-5',
  stepId: 'classify',
  attempt: 2,
  timeoutMs: 1000,
  task: '{"ticket": "refund"}',
  answer: 'billing',
};

describe('judgeAnswer', () => {
  it("asks in DSPy's layout and reads the judge's score, clamped, with its cost", async () => {
    // Prepare
    const provider = judgeAnswering('[[ ## score ## ]]\n1.7\n\n[[ ## completed ## ]]');

    // Act
    const judged = await judgeAnswer(JUDGE, { ...CALL, provider });

    // Assess
    expect(judged.verdict).toEqual({ score: 1 });
    expect(judged.costUsd).toBeGreaterThan(0);
    const [request] = provider.requests;
    expect(request).toMatchObject({ stepId: 'classify.judge', attempt: 2, model: 'claude-haiku-4-5' });
    expect(request?.system).toContain('Grade how well the answer meets the rubric');
    expect(request?.prompt).toBe(
      '[[ ## rubric ## ]]\nNames exactly one category.\n\n[[ ## task ## ]]\n{"ticket": "refund"}\n\n[[ ## answer ## ]]\nbilling\n\n' +
        'Respond with the corresponding output fields, starting with the field `[[ ## score ## ]]` (must be formatted as a ' +
        'valid Python float), and then ending with the marker for `[[ ## completed ## ]]`.',
    );
  });

  it('scores 0 when the reply does not parse, as the optimizer does', async () => {
    const judged = await judgeAnswer(JUDGE, { ...CALL, provider: judgeAnswering('Looks fine to me.') });

    expect(judged.verdict).toMatchObject({ score: 0, detail: expect.stringContaining('did not parse') });
  });
});

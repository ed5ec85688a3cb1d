import type { EvaluatorSpec } from '../../pipelines/contract/learning-spec.js';
import type { Provider, TokenUsage } from '../ports/provider.js';
import { goldenMismatch, renderPack } from '../prompt-packs/chat-adapter.js';
import { PromptPackSchema } from '../prompt-packs/pack-schema.js';
import { parseReply } from '../prompt-packs/reply-parser.js';
import { priceAttempt } from '../providers/pricing.js';
import type { Verdict } from './check-answer.js';
import judgePackJson from './llm-judge-pack.json' with { type: 'json' };

/**
 * The judge's prompt: DSPy's rendering of the optimizer's `JudgeSignature` (`metrics.py`), written
 * by its golden test, so the runtime judge and the optimizer's judge ask the same question.
 */
const JUDGE_PACK = PromptPackSchema.parse(judgePackJson);
if (goldenMismatch(JUDGE_PACK) !== undefined)
  throw new Error('internal: the runtime renders the judge pack unlike DSPy');

/** Output tokens of a judge's reply: a score, and the markers around it. */
const JUDGE_MAX_OUTPUT_TOKENS = 256;

/** What a judge call needs besides the rubric. */
export interface JudgeCall {
  readonly provider: Provider;
  readonly model: string;
  /** The judged step's id and attempt; the mock provider's scripts address the judge as `STEP.judge`. */
  readonly stepId: string;
  readonly attempt: number;
  readonly timeoutMs: number;
  /** The inputs the answer was given, as text. */
  readonly task: string;
  readonly answer: string;
}

/** A judge's verdict and what asking for it cost. */
export interface Judgement {
  readonly verdict: Verdict;
  readonly model: string;
  readonly usage: TokenUsage;
  readonly costUsd: number;
}

/**
 * Asks a model to grade an answer against a rubric, from 0 to 1 (clamped); a reply that does not parse
 * scores 0, as in the optimizer. Provider failures are thrown.
 *
 * @example
 * const { verdict } = await judgeAnswer({ kind: 'llm_judge', name: 'j', rubric: 'Names a category.' }, call);
 */
export async function judgeAnswer(
  judge: Extract<EvaluatorSpec, { kind: 'llm_judge' }>,
  call: JudgeCall,
): Promise<Judgement> {
  const prompt = renderPack(JUDGE_PACK, { rubric: judge.rubric, task: call.task, answer: call.answer });
  const result = await call.provider.complete({
    stepId: `${call.stepId}.judge`,
    attempt: call.attempt,
    model: call.model,
    maxOutputTokens: JUDGE_MAX_OUTPUT_TOKENS,
    timeoutMs: call.timeoutMs,
    ...prompt,
  });
  const { costUsd } = priceAttempt(call.provider.name, result.model, result.usage);
  let verdict: Verdict;
  try {
    const { score } = parseReply(result.text, JUDGE_PACK.signature.outputs) as { score: number };
    verdict = { score: Math.min(1, Math.max(0, score)) };
  } catch (error) {
    verdict = { score: 0, detail: `the judge's reply did not parse: ${(error as Error).message}` };
  }
  return { verdict, model: result.model, usage: result.usage, costUsd };
}

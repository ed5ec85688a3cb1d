import { ErrorName } from '../../pipelines/contract/errors.js';
import type { OptimizeSpec } from '../../pipelines/contract/learning-spec.js';
import type { LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { StepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { type Answer, checkAnswer } from '../evaluators/check-answer.js';
import { judgeAnswer } from '../evaluators/llm-judge.js';
import { validateAnswer } from '../llm/output-validation.js';
import type { RenderedPrompt } from '../llm/render-prompt.js';
import { referencedSteps, TemplateScope } from '../llm/template-scope.js';
import type { CompletionRequest } from '../ports/provider.js';
import type { ScoreRecord } from '../ports/scores.js';
import { renderPack } from '../prompt-packs/chat-adapter.js';
import type { PromptPack } from '../prompt-packs/pack-schema.js';
import { pyJsonDumps, pyStr } from '../prompt-packs/python-format.js';
import { parseReply } from '../prompt-packs/reply-parser.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { OutputInvalidError, ProviderError } from '../shared/errors.js';
import { iterationField } from '../shared/iteration.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import type { AttemptContext } from './attempt-record.js';

type VersionedLlmSpec = LlmStepSpec & { readonly hash: string };

/** The request fields a packed call keeps from the step: everything but what the prompt is. */
export type BaseRequest = Omit<CompletionRequest, 'system' | 'messages' | 'prompt' | 'outputSchema'>;

/**
 * What an LLM step that is scored (`evaluators:`) or opts in (`optimize:`) does around its model call:
 * render with the step's prompt pack when one is active (recording the pack's version as the
 * attempt's prompt version), parse a packed reply's `[[ ## field ## ]]` sections, and after a
 * successful attempt store its signature values (the optimizer's example) and its evaluators'
 * scores. Fallback answers are degraded and take no part; a repair is scored like any answer.
 */
export class LlmLearning {
  private resolved?: Promise<Record<string, unknown>>;

  private constructor(
    private readonly event: StepRunnerEvent,
    private readonly spec: VersionedLlmSpec,
    private readonly deps: StepRunnerDeps,
    /** The pack this attempt renders with, when the step opts in and one is active. */
    readonly pack: PromptPack | undefined,
  ) {}

  /** The learning of this attempt, or undefined when the step is neither scored nor optimized. */
  static async prepare(
    event: StepRunnerEvent,
    spec: VersionedLlmSpec,
    deps: StepRunnerDeps,
  ): Promise<LlmLearning | undefined> {
    if (event.mode !== undefined && event.mode !== 'repair') return undefined;
    if (spec.evaluators === undefined && spec.optimize === undefined) return undefined;
    const pack =
      spec.optimize && event.mode === undefined
        ? await deps.promptPacks?.packFor({
            tenantId: event.run.tenantId,
            pipeline: event.run.pipeline,
            stepId: event.stepId,
            runId: event.run.runId,
          })
        : undefined;
    return new LlmLearning(event, spec, deps, pack);
  }

  /** What the attempt records as its prompt version: the pack's version, or the spec's hash. */
  get version(): { readonly hash: string; readonly promptVersion?: string } {
    return this.pack ? { hash: this.spec.hash, promptVersion: this.pack.version } : this.spec;
  }

  /**
   * The call as the pack renders it: DSPy's system and demonstration turns, then the final user
   * message from the signature inputs. No output schema goes to the provider: structured output
   * would not be the prompt that was optimized.
   */
  async packedRequest(
    pack: PromptPack,
    base: BaseRequest,
  ): Promise<{ request: CompletionRequest; rendered: RenderedPrompt }> {
    const prompt = renderPack(pack, await this.inputs());
    return { request: { ...base, ...prompt }, rendered: { system: prompt.system, prompt: prompt.prompt } };
  }

  /**
   * A packed reply's outputs; `text` is the single output, or the outputs as JSON. A reply missing a
   * field or mistyping one is garbled, `Provider.InvalidResponse`, which the state machine retries
   * (and a fallback model answers for); outputs that fail the step's output schema are
   * `Output.Invalid`, for its repair loop.
   */
  interpret(
    pack: PromptPack,
    text: string,
  ): { readonly text: string; readonly data: Record<string, unknown>; readonly rawText: string } {
    let fields: Record<string, unknown>;
    try {
      fields = parseReply(text, pack.signature.outputs);
    } catch (error) {
      if (!(error instanceof OutputInvalidError)) throw error;
      throw new ProviderError(
        ErrorName.ProviderInvalidResponse,
        `the reply to prompt pack ${pack.version}: ${error.message}`,
        {
          provider: this.deps.providerFor(this.spec.family).name,
          model: this.spec.model,
          cause: error,
        },
      );
    }
    const outputs = declared(this.optimize(), fields);
    const data =
      this.spec.outputSchema === undefined
        ? fields
        : (validateAnswer(JSON.stringify(fields), this.spec.outputSchema, this.spec.hash) as Record<
            string,
            unknown
          >);
    return { text: answerText(outputs), data, rawText: text };
  }

  /**
   * After a successful attempt: stores its example (signature inputs and outputs) when the step opts
   * in, and the scores of its evaluators; `step_succeeded` ones are scored when the run ends. A judge
   * whose provider fails leaves the attempt without that score rather than failing a good answer.
   */
  async record(context: AttemptContext, prompt: string, answer: Answer, ref: StepRef): Promise<StepRef> {
    const { tenantId, runId } = this.event.run;
    const optimize = this.spec.optimize;
    const inputs = optimize ? await this.inputs() : undefined;
    if (optimize && inputs) {
      const outputs = this.pack
        ? declared(optimize, answer.data as Record<string, unknown>)
        : signatureOutputs(optimize, answer);
      await this.deps.artifacts.putJson(
        artifactKeys.attemptFile(
          tenantId,
          runId,
          this.event.stepId,
          context.attempt,
          context.iteration,
          'example.json',
        ),
        { inputs, outputs },
      );
    }
    const task = inputs ? pyJsonDumps(inputs) : prompt;
    const scores = await Promise.all(
      (this.spec.evaluators ?? []).map((evaluator) => this.score(evaluator, answer, task, context)),
    );
    const createdAt = this.deps.now().toISOString();
    const base = {
      tenantId,
      runId,
      stepId: this.event.stepId,
      ...iterationField(context.iteration),
      attempt: context.attempt,
      promptVersion: ref.promptVersion,
      createdAt,
    };
    await Promise.all(
      scores.flatMap((score) => (score ? [this.deps.runs.putScore({ ...base, ...score })] : [])),
    );
    return ref;
  }

  private async score(
    evaluator: NonNullable<LlmStepSpec['evaluators']>[number],
    answer: Answer,
    task: string,
    context: AttemptContext,
  ): Promise<
    | Omit<
        ScoreRecord,
        'tenantId' | 'runId' | 'stepId' | 'iteration' | 'attempt' | 'promptVersion' | 'createdAt'
      >
    | undefined
  > {
    const named = { evaluator: evaluator.name, kind: evaluator.kind };
    switch (evaluator.kind) {
      case 'step_succeeded':
        return undefined;
      case 'llm_judge': {
        const provider = this.deps.providerFor(this.spec.family);
        const call = {
          provider,
          model: evaluator.model ?? this.spec.model,
          stepId: this.event.stepId,
          attempt: context.attempt,
          timeoutMs: this.spec.timeoutMs,
          task,
          answer: answer.text,
        };
        try {
          const judged = await judgeAnswer(evaluator, call);
          return {
            ...named,
            ...judged.verdict,
            judge: { model: judged.model, usage: judged.usage, costUsd: judged.costUsd },
          };
        } catch (error) {
          // Every provider failure is named `Provider.*` (functions/shared/errors.ts).
          if (error instanceof Error && error.name.startsWith('Provider.')) return undefined;
          throw error;
        }
      }
      default:
        return { ...named, ...checkAnswer(evaluator, answer) };
    }
  }

  private optimize(): OptimizeSpec {
    if (!this.spec.optimize)
      throw new Error(`internal: step "${this.event.stepId}" renders a pack but does not opt in`);
    return this.spec.optimize;
  }

  /** The signature inputs from their templates, read once per attempt. */
  private inputs(): Promise<Record<string, unknown>> {
    this.resolved ??= (async () => {
      const fields = this.optimize().signature.inputs;
      const scope = await TemplateScope.load(
        this.event,
        referencedSteps(fields.map((f) => f.value)),
        this.deps.artifacts,
      );
      return Object.fromEntries(fields.map((f) => [f.name, pythonSafe(f.type, scope.evaluate(f.value))]));
    })();
    return this.resolved;
  }
}

/**
 * A value DSPy can render: a list given to a `str` field must hold strings (DSPy numbers each item as
 * text), so any other list is passed as the text DSPy would write for it.
 */
function pythonSafe(type: string, value: unknown): unknown {
  return type === 'str' && Array.isArray(value) && !value.every((item) => typeof item === 'string')
    ? pyStr(value)
    : value;
}

/** The declared outputs of a parsed reply (without a chain of thought's `reasoning`). */
function declared(optimize: OptimizeSpec, fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    optimize.signature.outputs.filter((f) => f.name in fields).map((f) => [f.name, fields[f.name]]),
  );
}

/**
 * The outputs of an answer to the step's own prompt: a single `str` output is the answer's JSON field
 * of that name, else its text; several outputs are the answer's JSON fields of those names.
 */
function signatureOutputs(optimize: OptimizeSpec, answer: Answer): Record<string, unknown> {
  const outputs = optimize.signature.outputs;
  const data =
    answer.data !== null && typeof answer.data === 'object' ? (answer.data as Record<string, unknown>) : {};
  const [only] = outputs;
  if (outputs.length === 1 && only && !(only.name in data))
    return only.type === 'str' ? { [only.name]: answer.text } : {};
  return declared(optimize, data);
}

/** The answer text evaluators read, as the optimizer's metrics compute it. */
function answerText(outputs: Record<string, unknown>): string {
  const values = Object.values(outputs);
  if (values.length === 1)
    return typeof values[0] === 'string' ? values[0] : (JSON.stringify(values[0]) ?? '');
  return JSON.stringify(outputs);
}

import { z } from 'zod';
import { FALLBACK_ACTIONS } from '../../pipelines/steps/claude-robust.js';
import type { Iteration } from './iteration.js';

/** Identity of a run as the state machine carries it. */
export const RunIdentitySchema = z.object({
  tenantId: z.string().min(1),
  runId: z.string().min(1),
  pipeline: z.string().min(1),
  /** S3 key of the spec bundle this run executes. */
  bundleKey: z.string().min(1),
  /**
   * Inside a nested pipeline: the dotted path of nesting steps (`report.summarize`). Its steps' specs
   * and artifacts are filed under `SCOPE.STEP`; absent at the top of a run.
   */
  scope: z.string().min(1).optional(),
});

/** A step's reference in the state: where its artifact is and what the attempt cost. Never the output itself. */
export const StepRefSchema = z.object({
  stepId: z.string(),
  status: z.literal('SUCCEEDED'),
  attempt: z.number().int().positive(),
  degraded: z.boolean(),
  artifact: z.object({ bucket: z.string(), key: z.string(), sha256: z.string(), bytes: z.number() }),
  provider: z.enum(['anthropic', 'gemini', 'mock']),
  model: z.string(),
  promptVersion: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  latencyMs: z.number(),
  /** Why a fallback answered instead of the step's own call; set exactly when `degraded`. */
  degradedReason: z.string().optional(),
  /** The error that sent the step to its fallback. */
  originalError: z.string().optional(),
  /** Small fields of a validated answer that Choice states read (`$.steps.NAME.fields.severity`). */
  fields: z.record(z.string(), z.unknown()).optional(),
});

/** The step kinds that call no model and store their result as a data artifact. */
export const DATA_STEP_KINDS = ['test_echo', 'data_transform', 'file_ops', 'pipeline'] as const;

/**
 * A reference to the result of a step that calls no model: where its data artifact is. The artifact's
 * `response.data` is the result, exactly as a Pass state would have put it in the state.
 */
export const DataStepRefSchema = z.object({
  stepId: z.string(),
  status: z.literal('SUCCEEDED'),
  kind: z.enum(DATA_STEP_KINDS),
  attempt: z.number().int().positive(),
  degraded: z.boolean(),
  artifact: StepRefSchema.shape.artifact,
});

/**
 * What the state holds under `steps.NAME`: a reference to an artifact, or a small result a Pass state
 * wrote there (a `test_echo` value known at compile time), read as the step's result as it is; while
 * a batch step runs, its tasks' statuses (a list), before its consolidation replaces them.
 */
export const StepEntrySchema = z.union([
  StepRefSchema,
  DataStepRefSchema,
  z.record(z.string(), z.unknown()),
  z.array(z.unknown()),
]);

/** The `mode`s of a step-runner event; without one, the step runs its own call. */
export const STEP_MODES = ['repair', 'manifest', 'fallback_model', ...FALLBACK_ACTIONS] as const;

/** A step-runner event's `mode`. */
export type StepMode = (typeof STEP_MODES)[number];

/** What the step-runner Task passes in (see `statemachines/steps/step-runner-task.ts`). */
export const StepRunnerEventSchema = z.object({
  stepId: z.string().min(1),
  run: RunIdentitySchema,
  inputs: z.record(z.string(), z.unknown()),
  global_vars: z.record(z.string(), z.unknown()),
  steps: z.record(z.string(), StepEntrySchema),
  /** Inside a loop body only: the current iteration (`{{loop.ITERATOR}}`, `{{loop.index}}`, …). */
  loop: z.record(z.string(), z.unknown()).optional(),
  /** What the state machine asks beyond the step's own call: a repair, a fallback, a batch manifest. */
  mode: z.enum(STEP_MODES).optional(),
  /** The failure a repair or fallback answers (a Catch's `{Error, Cause}`); a repair's counts repairs. */
  recovery: z
    .object({ Error: z.string(), Cause: z.string().optional(), count: z.number().int().optional() })
    .optional(),
});

export type RunIdentity = z.infer<typeof RunIdentitySchema>;
export type StepRef = z.infer<typeof StepRefSchema>;
export type DataStepRef = z.infer<typeof DataStepRefSchema>;
export type StepRunnerEvent = z.infer<typeof StepRunnerEventSchema>;

/** The JSON body of a step attempt's artifact in S3. */
export interface StepArtifact {
  readonly stepId: string;
  /** Inside a loop body: the iteration the attempt belongs to. */
  readonly iteration?: Iteration;
  readonly attempt: number;
  readonly provider: StepRef['provider'];
  readonly model: string;
  readonly promptVersion: string;
  /** `messages`: the earlier turns of a session sent before the prompt. */
  readonly request: {
    readonly system?: string;
    readonly prompt: string;
    readonly messages?: readonly { readonly role: 'user' | 'assistant'; readonly content: string }[];
  };
  /**
   * `data` is the reply parsed as JSON, when it was JSON (validated, when the step has an output
   * schema; the extracted fields, for a post-processed answer). `rawText` is the model's text when
   * `text` was post-processed from it. `invalid` lists why the answer failed the output schema.
   */
  readonly response: {
    readonly text: string;
    readonly data?: unknown;
    readonly stopReason?: string;
    readonly rawText?: string;
    readonly invalid?: string;
  };
  readonly usage: {
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cachedInputTokens: number;
  };
  readonly costUsd: number;
  readonly latencyMs: number;
  readonly startedAt: string;
  /**
   * Set when a fallback answered: which one, the error that sent the step there, and for a cached
   * response the artifact it repeats.
   */
  readonly degraded?: {
    readonly reason: string;
    readonly originalError: string;
    readonly cachedFrom?: string;
  };
}

/** True for an LLM step's reference; false for what a `set_variable` step returns (the new variables). */
export function isStepRef(value: unknown): value is StepRef {
  return StepRefSchema.safeParse(value).success;
}

/** True for the reference a data step (test_echo, data_transform, file_ops, pipeline) returns. */
export function isDataStepRef(value: unknown): value is DataStepRef {
  return DataStepRefSchema.safeParse(value).success;
}

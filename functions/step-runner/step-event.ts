import { z } from 'zod';
import {
  DATA_STEP_KINDS,
  type DataStepRef,
  type RunIdentity,
  STEP_MODES,
  type StepEntry,
  type StepRef,
  type StepRunnerEvent,
} from '../../pipelines/contract/step-event.js';

/**
 * Runtime validation of the step runner's event and reply, whose types are the contract's
 * (`pipelines/contract/step-event.ts`): each schema parses to exactly its contract type.
 */

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
  workspaceId: z
    .string()
    .regex(/^[0-9a-f]{16,64}$/)
    .optional(),
}) satisfies z.ZodType<RunIdentity>;

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
}) satisfies z.ZodType<StepRef>;

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
}) satisfies z.ZodType<DataStepRef>;

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
]) satisfies z.ZodType<StepEntry>;

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
  /** An agent turn (`mode: agent_turn`): which turn, and the failure that sent it to the fallback model. */
  agent: z
    .object({
      turn: z.number().int().positive(),
      fallback: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
    })
    .optional(),
}) satisfies z.ZodType<StepRunnerEvent>;

/** True for an LLM step's reference; false for what a `set_variable` step returns (the new variables). */
export function isStepRef(value: unknown): value is StepRef {
  return StepRefSchema.safeParse(value).success;
}

/** True for the reference a data step (test_echo, data_transform, file_ops, pipeline) returns. */
export function isDataStepRef(value: unknown): value is DataStepRef {
  return DataStepRefSchema.safeParse(value).success;
}

import { z } from 'zod';

/** Identity of a run as the state machine carries it. */
export const RunIdentitySchema = z.object({
  tenantId: z.string().min(1),
  runId: z.string().min(1),
  pipeline: z.string().min(1),
  /** S3 key of the spec bundle this run executes. */
  bundleKey: z.string().min(1),
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
});

/** What the step-runner Task passes in (see `statemachines/steps/step-runner-task.ts`). */
export const StepRunnerEventSchema = z.object({
  stepId: z.string().min(1),
  run: RunIdentitySchema,
  inputs: z.record(z.string(), z.unknown()),
  global_vars: z.record(z.string(), z.unknown()),
  steps: z.record(z.string(), StepRefSchema),
});

export type RunIdentity = z.infer<typeof RunIdentitySchema>;
export type StepRef = z.infer<typeof StepRefSchema>;
export type StepRunnerEvent = z.infer<typeof StepRunnerEventSchema>;

/** The JSON body of a step attempt's artifact in S3. */
export interface StepArtifact {
  readonly stepId: string;
  readonly attempt: number;
  readonly provider: StepRef['provider'];
  readonly model: string;
  readonly promptVersion: string;
  readonly request: { readonly system?: string; readonly prompt: string };
  /** `data` is the reply parsed as JSON, when it was JSON. */
  readonly response: { readonly text: string; readonly data?: unknown; readonly stopReason?: string };
  readonly usage: {
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cachedInputTokens: number;
  };
  readonly costUsd: number;
  readonly latencyMs: number;
  readonly startedAt: string;
}

/** True for an LLM step's reference; false for what a `set_variable` step returns (the new variables). */
export function isStepRef(value: unknown): value is StepRef {
  return StepRefSchema.safeParse(value).success;
}

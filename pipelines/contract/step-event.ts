import type { AgentProgress } from './agent.js';
import type { ProviderName } from './models.js';
import { FALLBACK_ACTIONS } from './step-options.js';

/**
 * The step runner's event and reply: what a step-runner Task passes in (see
 * `statemachines/steps/step-runner-task.ts`) and the references it leaves in the state. The runtime
 * validates events against these (`functions/step-runner/step-event.ts`). Object types, not interfaces, as
 * the zod schemas inferred them: each is a `Record<string, unknown>` too.
 */

/** Each enclosing loop's `loop.index` (from 0), outermost first; e.g. `[1, 0]` in a nested loop. */
export type Iteration = readonly number[];

/** Identity of a run as the state machine carries it. */
export type RunIdentity = {
  tenantId: string;
  runId: string;
  pipeline: string;
  /** S3 key of the spec bundle this run executes. */
  bundleKey: string;
  /**
   * Inside a nested pipeline: the dotted path of nesting steps (`report.summarize`). Its steps' specs
   * and artifacts are filed under `SCOPE.STEP`; absent at the top of a run.
   */
  scope?: string;
  /**
   * The repository snapshot the run works on (`tenants/{t}/workspaces/{workspaceId}/`), when it was
   * started with one; agent and test steps read it with the run's change set over it.
   */
  workspaceId?: string;
};

/** Where an artifact is in S3, with its digest and size. */
export type ArtifactLocation = {
  bucket: string;
  key: string;
  sha256: string;
  bytes: number;
};

/** A step's reference in the state: where its artifact is and what the attempt cost. Never the output itself. */
export type StepRef = {
  stepId: string;
  status: 'SUCCEEDED';
  attempt: number;
  degraded: boolean;
  artifact: ArtifactLocation;
  provider: ProviderName;
  model: string;
  promptVersion: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  /** Why a fallback answered instead of the step's own call; set exactly when `degraded`. */
  degradedReason?: string;
  /** The error that sent the step to its fallback. */
  originalError?: string;
  /** Small fields of a validated answer that Choice states read (`$.steps.NAME.fields.severity`). */
  fields?: Record<string, unknown>;
};

/** The step kinds that call no model and store their result as a data artifact. */
export const DATA_STEP_KINDS = ['test_echo', 'data_transform', 'file_ops', 'pipeline', 'test'] as const;

/**
 * A reference to the result of a step that calls no model: where its data artifact is. The artifact's
 * `response.data` is the result, exactly as a Pass state would have put it in the state.
 */
export type DataStepRef = {
  stepId: string;
  status: 'SUCCEEDED';
  kind: (typeof DATA_STEP_KINDS)[number];
  attempt: number;
  degraded: boolean;
  artifact: ArtifactLocation;
};

/**
 * What the state holds under `steps.NAME`: a reference to an artifact, or a small result a Pass state
 * wrote there (a `test_echo` value known at compile time), read as the step's result as it is; while
 * a batch step runs, its tasks' statuses (a list), before its consolidation replaces them.
 */
export type StepEntry = StepRef | DataStepRef | Record<string, unknown> | unknown[];

/** The `mode`s of a step-runner event; without one, the step runs its own call. */
export const STEP_MODES = [
  'repair',
  'manifest',
  'fallback_model',
  ...FALLBACK_ACTIONS,
  // One model turn of an agent step's tool-use loop (`agent` says which).
  'agent_turn',
] as const;

/** A step-runner event's `mode`. */
export type StepMode = (typeof STEP_MODES)[number];

/** What the step-runner Task passes in (see `statemachines/steps/step-runner-task.ts`). */
export type StepRunnerEvent = {
  stepId: string;
  run: RunIdentity;
  inputs: Record<string, unknown>;
  global_vars: Record<string, unknown>;
  steps: Record<string, StepEntry>;
  /** Inside a loop body only: the current iteration (`{{loop.ITERATOR}}`, `{{loop.index}}`, …). */
  loop?: Record<string, unknown>;
  /** What the state machine asks beyond the step's own call: a repair, a fallback, a batch manifest. */
  mode?: StepMode;
  /** The failure a repair or fallback answers (a Catch's `{Error, Cause}`); a repair's counts repairs. */
  recovery?: { Error: string; Cause?: string; count?: number };
  /** An agent turn only (`mode: agent_turn`): which turn, and whether the fallback model answers it. */
  agent?: AgentProgress;
};

/** The JSON body of a step attempt's artifact in S3. */
export interface StepArtifact {
  readonly stepId: string;
  /** Inside a loop body: the iteration the attempt belongs to. */
  readonly iteration?: Iteration;
  readonly attempt: number;
  readonly provider: ProviderName;
  readonly model: string;
  readonly promptVersion: string;
  /**
   * `messages`: the earlier turns of a session sent before the prompt. `workspaceFiles`: the files
   * of the run's workspace its `workspace_file` parts inserted, with the SHA-256 of the text read.
   */
  readonly request: {
    readonly system?: string;
    readonly prompt: string;
    readonly messages?: readonly { readonly role: 'user' | 'assistant'; readonly content: string }[];
    readonly workspaceFiles?: readonly { readonly path: string; readonly sha256: string }[];
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

import type { InputDecl } from '../pipelines/schema.js';

/** The model family of an LLM step; selects the provider. */
export type ModelFamily = 'claude' | 'gemini';

/** A prompt part as the step runner renders it. `static` content may hold templates; `file` content is literal. */
export type PromptPartSpec =
  | { readonly type: 'static'; readonly content: string }
  | { readonly type: 'file'; readonly path: string; readonly content: string }
  | { readonly type: 'previous_response'; readonly step: string; readonly extract?: string };

/** Everything the step runner needs to run one LLM step, with defaults already applied. */
export interface LlmStepSpec {
  readonly kind: 'llm';
  readonly family: ModelFamily;
  readonly model: string;
  /** Template text of the system prompt, when the step has one. */
  readonly system?: string;
  readonly prompt: readonly PromptPartSpec[];
  readonly maxOutputTokens: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly timeoutMs: number;
}

/** A `set_variable` step whose values need step outputs, so the step runner evaluates it. */
export interface SetVariableStepSpec {
  readonly kind: 'set_variable';
  /** Values as written; strings may be templates. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** A step spec of any kind. */
export type StepSpec = LlmStepSpec | SetVariableStepSpec;

/** A step spec with the content hash that identifies its prompt version. */
export type VersionedStepSpec = StepSpec & { readonly hash: string };

/**
 * The spec bundle: the compiled pipeline's data half. The ASL names steps by id; the bundle holds
 * what each step does. Keyed by content hash, so a run always reads the bundle it started with.
 */
export interface SpecBundle {
  readonly pipeline: string;
  readonly hash: string;
  readonly inputs: Readonly<Record<string, InputDecl>>;
  readonly steps: Readonly<Record<string, VersionedStepSpec>>;
}

/** An ASL state or definition: plain JSON. */
export type AslObject = { [key: string]: AslValue };
/** Any JSON value inside a definition. */
export type AslValue = string | number | boolean | null | AslValue[] | AslObject;

/** Placeholders in the compiled ASL, filled by CDK `definitionSubstitutions` or the local executor. */
export const Placeholder = {
  StepRunner: '${StepRunnerArn}',
} as const;

import type { Workflow } from '../pipelines/schema.js';
import type { ClaudePreset } from '../pipelines/steps/llm-fields.js';

/** What a preset sets: a starting point that `claude_options` override field by field. */
export interface PresetSettings {
  /** Model alias or id; absent: the workflow's or the family's default. */
  readonly model?: string;
  readonly fallbackModel?: string;
  readonly maxOutputTokens: number;
  readonly timeoutMs: number;
}

/**
 * pipeline_ex's presets (reference §13.2) as far as they mean something for one model call: model,
 * fallback model and timeout come from its option builder; output tokens are Elexirion's choice (the
 * option builder has none). Turns, tools and output formats have no equivalent here: one call, no tools.
 */
export const PRESETS: Readonly<Record<ClaudePreset, PresetSettings>> = {
  development: { model: 'sonnet', maxOutputTokens: 8192, timeoutMs: 300_000 },
  production: { model: 'opus', fallbackModel: 'sonnet', maxOutputTokens: 4096, timeoutMs: 120_000 },
  analysis: { model: 'opus', maxOutputTokens: 8192, timeoutMs: 180_000 },
  chat: { maxOutputTokens: 2048, timeoutMs: 60_000 },
  test: { maxOutputTokens: 1024, timeoutMs: 60_000 },
};

/** The `claude_*` types that start from a preset, and the preset each uses when nothing names one. */
export const DEFAULT_PRESETS = {
  claude_smart: 'development',
  claude_session: 'analysis',
  claude_extract: 'analysis',
  claude_batch: 'development',
  claude_robust: 'production',
} as const satisfies Readonly<Record<string, ClaudePreset>>;

/** A step type that starts from a preset. */
export type PresetStepType = keyof typeof DEFAULT_PRESETS;

/**
 * The preset a step runs with: its own `preset`, else `defaults.claude_preset`, else, for a
 * `claude_smart` step with `environment_aware: true`, the one `environment.mode` names, else the
 * type's default (reference §5.5).
 *
 * @example
 * resolvePreset({ type: 'claude_smart', environment_aware: true }, { environment: { mode: 'production' } });
 * // 'production'
 */
export function resolvePreset(
  step: {
    readonly type: PresetStepType;
    readonly preset?: ClaudePreset;
    readonly environment_aware?: boolean;
  },
  workflow: Pick<Workflow, 'defaults' | 'environment'>,
): ClaudePreset {
  const fromEnvironment = step.environment_aware ? workflow.environment?.mode : undefined;
  return step.preset ?? workflow.defaults?.claude_preset ?? fromEnvironment ?? DEFAULT_PRESETS[step.type];
}

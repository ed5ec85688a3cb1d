/**
 * Agent steps: a `claude` or `gemini` step with tools runs a tool-use loop, one step-runner Task per
 * model turn (`statemachines/steps/agent.ts`). The loader refuses tools outside
 * {@link AGENT_TOOL_NAMES}; the runtime's tools (`functions/agent/tools.ts`) implement exactly these.
 */

/** The tools an agent step may list in `allowed_tools`: Claude Code's file tools, by their names. */
export const AGENT_TOOL_NAMES = ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'LS'] as const;

/** A tool an agent step may use. */
export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];

/** Model turns of an agent step that does not set `max_turns`. */
export const DEFAULT_MAX_TURNS = 10;

/** An agent step's loop, with defaults applied (`LlmStepSpec.agent`). */
export interface AgentSpec {
  /** `allowed_tools` less `disallowed_tools`, in the order written; never empty. */
  readonly tools: readonly AgentToolName[];
  /** The most model turns the loop takes; a turn that still calls tools at this bound fails. */
  readonly maxTurns: number;
  /** The most the step may spend, in USD over all its attempts; absent: no cap. */
  readonly maxBudgetUsd?: number;
}

/**
 * Where an agent step's loop stands, as its Task reads it from `$.steps.NAME` (`agent` in the
 * step-runner event) and the runner returns it after a turn that called tools. `fallback` is the
 * failure that sent the loop to the step's fallback model, which answers every turn from then on.
 */
export type AgentProgress = {
  turn: number;
  fallback?: { Error: string; Cause?: string };
};

/** What the runner returns after a turn that called tools: the next turn to take. */
export type AgentTurnReply = AgentProgress & { done: false };

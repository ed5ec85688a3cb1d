import { z } from 'zod';
import { AGENT_TOOL_NAMES, type AgentToolName, DEFAULT_MAX_TURNS } from '../contract/agent.js';

/**
 * The fields that make a `claude` or `gemini` step an agent step: the tools of its tool-use loop
 * (`allowed_tools`, less `disallowed_tools`), its bound (`max_turns`) and its spending cap
 * (`max_budget_usd`). Claude steps take them under `claude_options`, as pipeline_ex and Claude Code
 * spell them; Gemini steps, whose settings sit on the step itself, take them there.
 */

/**
 * Claude Code's tools that this runtime does not run, so a pipeline_ex file naming one is told so
 * rather than told the name is unknown. MCP tools (`mcp__SERVER__TOOL`) are recognised by prefix.
 */
export const CLAUDE_CODE_ONLY_TOOLS: readonly string[] = [
  'Bash',
  'BashOutput',
  'KillShell',
  'MultiEdit',
  'NotebookEdit',
  'NotebookRead',
  'SlashCommand',
  'Task',
  'TodoWrite',
  'WebFetch',
  'WebSearch',
  'ExitPlanMode',
];

/** Whether `name` is a Claude Code tool (or an MCP tool) that agent steps cannot use. */
export function isClaudeCodeOnlyTool(name: string): boolean {
  return CLAUDE_CODE_ONLY_TOOLS.includes(name) || name.startsWith('mcp__');
}

/** Whether `name` is one of the tools an agent step may use. */
export function isAgentTool(name: string): name is AgentToolName {
  return (AGENT_TOOL_NAMES as readonly string[]).includes(name);
}

const toolList = z.array(z.string());

/** The agent fields, spread into `claude_options` and into a `gemini` step. */
export const agentFields = {
  allowed_tools: toolList
    .optional()
    .describe(
      `Tools of the step's tool-use loop, over the run's workspace: ${AGENT_TOOL_NAMES.join(', ')}. ` +
        'A claude or gemini step with tools is an agent step; other claude_* types ignore them.',
    ),
  disallowed_tools: toolList.optional().describe('Tools taken out of allowed_tools.'),
  max_turns: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      `The most model turns of an agent step's loop (default ${DEFAULT_MAX_TURNS}); a turn that still ` +
        'calls tools at this bound fails with Agent.MaxTurns. A step without tools makes one call.',
    ),
  max_budget_usd: z
    .number()
    .positive()
    .optional()
    .describe(
      'The most an agent step may spend, in USD over all its attempts; a turn that would start past it fails with Budget.Exceeded.',
    ),
};

/** The agent fields as a step (or its merged options) holds them. */
export interface AgentFields {
  readonly allowed_tools?: readonly string[] | undefined;
  readonly disallowed_tools?: readonly string[] | undefined;
  readonly max_turns?: number | undefined;
  readonly max_budget_usd?: number | undefined;
}

/**
 * The tools of an agent step: `allowed_tools` less `disallowed_tools`, each once, in the order
 * written; names that are no agent tool are left out (the loader has refused them already). Empty
 * when the step is no agent.
 */
export function agentTools(fields: AgentFields): AgentToolName[] {
  const removed = new Set(fields.disallowed_tools ?? []);
  return [...new Set(fields.allowed_tools ?? [])].filter(
    (name): name is AgentToolName => isAgentTool(name) && !removed.has(name),
  );
}

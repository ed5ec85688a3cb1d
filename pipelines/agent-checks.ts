import { AGENT_TOOL_NAMES } from './contract/agent.js';
import type { Workflow } from './schema.js';
import { allSteps } from './step-tree.js';
import { type AgentFields, agentTools, isAgentTool, isClaudeCodeOnlyTool } from './steps/agent-fields.js';
import { didYouMean } from './suggest.js';
import type { PipelineIssue } from './types.js';
import type { FieldPath, YamlLocator } from './yaml-ranges.js';

const SUPPORTED = `supported tools: ${AGENT_TOOL_NAMES.join(', ')}`;

/** Step types whose steps take agent fields; every other `claude_*` type makes one call. */
const AGENT_TYPES: ReadonlySet<string> = new Set(['claude', 'gemini']);

/** A step as these checks read it: any LLM step type may carry these fields. */
interface AgentSite {
  readonly type: string;
  readonly name: string;
  readonly claude_options?: AgentFields;
  readonly tasks?: readonly { readonly claude_options?: AgentFields }[];
  readonly parallel_tasks?: readonly { readonly claude_options?: AgentFields }[];
  readonly output_schema?: unknown;
  readonly evaluators?: unknown;
  readonly optimize?: unknown;
}

/**
 * Load-time checks of agent steps (`claude` and `gemini` steps with tools, see
 * `steps/agent-fields.ts`) that a schema cannot express with a useful hint:
 *
 * - every `allowed_tools` entry is an agent tool; Claude Code's other tools (`Bash`, `WebFetch`,
 *   `Task`, MCP tools, …) are refused as not run here, anything else as unknown, with a near miss;
 * - every `disallowed_tools` entry is a tool name (an agent tool or one of Claude Code's);
 * - an agent step has no `output_schema`, `evaluators` or `optimize` (its answer ends a loop of
 *   turns, which neither validation nor prompt packs handle yet);
 * - a warning: `max_budget_usd` on a step that runs no loop (another `claude_*` type, or a
 *   `claude`/`gemini` step with no tool left) is ignored. Tools on other `claude_*` types are
 *   ignored silently, as before: pipeline_ex files write them on any Claude step.
 *
 * `defaults.claude_options` count for every `claude` step: their tools are checked where written.
 */
export function checkAgentSteps(workflow: Workflow, locate: YamlLocator): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const report = (issue: Omit<PipelineIssue, 'range'>) =>
    issues.push({ ...issue, range: locate.value(issue.path) });
  const defaults = workflow.defaults?.claude_options;
  if (defaults !== undefined) checkToolNames(defaults, ['workflow', 'defaults', 'claude_options'], report);
  for (const { step, path } of allSteps(workflow.steps, ['workflow', 'steps'])) {
    const site = step as AgentSite;
    if (step.type !== 'claude' && step.type !== 'gemini') {
      for (const [options, at] of claudeOptionSites(site, path)) ignoredFields(site, options, at, report);
      continue;
    }
    const own: AgentFields = step.type === 'claude' ? (step.claude_options ?? {}) : step;
    const at: FieldPath = step.type === 'claude' ? [...path, 'claude_options'] : path;
    checkToolNames(own, at, report);
    const merged = step.type === 'claude' ? { ...defaults, ...own } : own;
    if (agentTools(merged).length === 0) {
      ignoredFields(site, own, at, report);
      continue;
    }
    for (const field of ['output_schema', 'evaluators', 'optimize'] as const) {
      if (site[field] === undefined) continue;
      report({
        code: 'INVALID_VALUE',
        severity: 'error',
        message: `agent step "${site.name}" cannot have ${field}: its answer ends a loop of tool-use turns`,
        hint: NOT_FOR_AGENTS[field],
        path: [...path, field],
      });
    }
  }
  return issues;
}

/** What to do instead of each field an agent step refuses. */
const NOT_FOR_AGENTS = {
  output_schema:
    'remove output_schema, and add a step after the agent that reads {{steps.NAME.text}} and has the output_schema',
  evaluators: 'remove evaluators: agent steps are not scored yet',
  optimize: 'remove optimize: prompt packs replace one call, not a tool-use loop',
} as const;

type Report = (issue: Omit<PipelineIssue, 'range'>) => void;

/** Refuses tool names no agent can use in `allowed_tools`, and names that are no tool in `disallowed_tools`. */
function checkToolNames(fields: AgentFields, at: FieldPath, report: Report): void {
  for (const [index, name] of (fields.allowed_tools ?? []).entries()) {
    if (isAgentTool(name)) continue;
    const path = [...at, 'allowed_tools', index];
    report(
      isClaudeCodeOnlyTool(name)
        ? {
            code: 'INVALID_VALUE',
            severity: 'error',
            message: `tool '${name}' is a Claude Code tool that agent steps do not run`,
            hint: `${SUPPORTED} (they work on the run's workspace; a sandboxed shell tool is not available yet)`,
            path,
          }
        : {
            code: 'INVALID_VALUE',
            severity: 'error',
            message: `unknown tool '${name}' in allowed_tools`,
            hint: `${didYouMean(name, AGENT_TOOL_NAMES)}${SUPPORTED}`,
            path,
          },
    );
  }
  for (const [index, name] of (fields.disallowed_tools ?? []).entries()) {
    if (isAgentTool(name) || isClaudeCodeOnlyTool(name)) continue;
    report({
      code: 'INVALID_VALUE',
      severity: 'error',
      message: `unknown tool '${name}' in disallowed_tools`,
      hint: `${didYouMean(name, AGENT_TOOL_NAMES)}${SUPPORTED}`,
      path: [...at, 'disallowed_tools', index],
    });
  }
}

/**
 * Warns that a step with no tool-use loop ignores `max_budget_usd`. Only Elexirion's own field is
 * warned about: pipeline_ex files put `allowed_tools` on any `claude_*` step, and they load as they
 * did, the tools ignored as the field's description says.
 */
function ignoredFields(site: AgentSite, fields: AgentFields, at: FieldPath, report: Report): void {
  if (fields.max_budget_usd === undefined) return;
  const agentType = AGENT_TYPES.has(site.type);
  report({
    code: 'INVALID_VALUE',
    severity: 'warning',
    message: `max_budget_usd of step "${site.name}" is ignored: ${
      agentType
        ? 'no tool is left once disallowed_tools are taken out, so it makes one call'
        : `a ${site.type} step makes one call; only claude and gemini steps run tools`
    }`,
    hint: agentType
      ? `list a tool in allowed_tools (${SUPPORTED}), or remove max_budget_usd`
      : 'make the step type: claude with claude_options.allowed_tools to run tools, or remove max_budget_usd',
    path: [...at, 'max_budget_usd'],
  });
}

/** Every `claude_options` map of a step that makes single calls: its own and its tasks'. */
function claudeOptionSites(site: AgentSite, path: FieldPath): [AgentFields, FieldPath][] {
  const sites: [AgentFields, FieldPath][] = [];
  if (site.claude_options) sites.push([site.claude_options, [...path, 'claude_options']]);
  for (const list of ['tasks', 'parallel_tasks'] as const) {
    for (const [index, task] of (site[list] ?? []).entries()) {
      if (task.claude_options) sites.push([task.claude_options, [...path, list, index, 'claude_options']]);
    }
  }
  return sites;
}

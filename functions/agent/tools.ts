import { ErrorName } from '../../pipelines/contract/errors.js';
import type { ToolCall, ToolDefinition, ToolResult } from '../ports/provider.js';
import type { WorkspaceFiles } from '../ports/workspace-files.js';
import { editTool } from './tools/edit.js';
import { globTool } from './tools/glob.js';
import { grepTool } from './tools/grep.js';
import { lsTool } from './tools/ls.js';
import { readTool } from './tools/read.js';
import { type AgentTool, ToolFailure } from './tools/tool.js';
import { writeTool } from './tools/write.js';

/**
 * The file tools an agent step's tool-use loop runs over the run's workspace, with Claude Code's
 * names and input fields so pipeline_ex files' `allowed_tools` work as written. They act on a
 * `WorkspaceFiles` (the snapshot and the run's change set) and never touch the filesystem.
 */
const TOOLS: readonly AgentTool[] = [readTool, writeTool, editTool, globTool, grepTool, lsTool];

const BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));

/** The tool names this runtime implements: `['Read', 'Write', 'Edit', 'Glob', 'Grep', 'LS']`. */
export const AGENT_TOOLS: readonly string[] = TOOLS.map((tool) => tool.name);

/**
 * What the provider sends the model for `names` (a step's `allowed_tools`), in that order, each
 * once. Names this runtime has no tool for (pipeline_ex's `Bash`, `WebFetch`, …) are left out: the
 * model is never offered a tool that cannot run.
 */
export function toolDefinitions(names: readonly string[]): ToolDefinition[] {
  const tools = [...new Set(names)].flatMap((name) => BY_NAME.get(name) ?? []);
  return tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
}

/** A tool call's result, with what the agent loop records besides what the model reads. */
export type AgentToolResult = ToolResult & {
  /** The workspace path a Write or Edit changed (the loop adds it to `changed_files`). */
  readonly changedPath?: string;
  /** The error name of a refused or failed call, for the attempt record. */
  readonly errorName?: string;
};

/**
 * Runs one tool call the model asked for. A refused or failed call is not thrown: it is a result
 * with `isError: true` whose content starts with the error name (`Tool.OutsideWorkspace: …`,
 * `Tool.InvalidInput: …`, `File.NotFound: …`), which the loop sends back so the model can correct
 * itself. Only a failure of the workspace store itself is thrown: the model cannot fix that.
 * `allowed` is the step's `allowed_tools`; a call of any other tool is `Tool.Unknown`.
 *
 * @example
 * await runToolCall({ id: 't1', name: 'Read', input: { file_path: 'src/a.js' } }, files);
 * // { callId: 't1', name: 'Read', content: '     1\tconst a = 1;', isError: false }
 */
export async function runToolCall(
  call: ToolCall,
  files: WorkspaceFiles,
  allowed: readonly string[] = AGENT_TOOLS,
): Promise<AgentToolResult> {
  const tool = allowed.includes(call.name) ? BY_NAME.get(call.name) : undefined;
  if (tool === undefined) {
    const usable = AGENT_TOOLS.filter((name) => allowed.includes(name));
    const message = `${JSON.stringify(call.name)} is not a tool of this step; its tools are ${usable.join(', ') || 'none'}`;
    return failed(call, new ToolFailure(ErrorName.ToolUnknown, message));
  }
  try {
    const output = await tool.run(call.input, files);
    return { callId: call.id, name: call.name, isError: false, ...output };
  } catch (error) {
    if (!(error instanceof ToolFailure)) throw error;
    return failed(call, error);
  }
}

function failed(call: ToolCall, failure: ToolFailure): AgentToolResult {
  return {
    callId: call.id,
    name: call.name,
    content: `${failure.errorName}: ${failure.message}`,
    isError: true,
    errorName: failure.errorName,
  };
}

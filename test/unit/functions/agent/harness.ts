import { vi } from 'vitest';
import { type AgentToolResult, runToolCall } from '../../../../functions/agent/tools.js';
import type { WorkspaceFiles } from '../../../../functions/ports/workspace-files.js';

/** An in-memory `WorkspaceFiles` over a Map, with spies to assert what the tools touched. */
export function memoryWorkspace(initial: Record<string, string> = {}) {
  const contents = new Map(Object.entries(initial));
  const files = {
    read: vi.fn(async (path: string) => contents.get(path)),
    write: vi.fn(async (path: string, content: string) => {
      contents.set(path, content);
    }),
    list: vi.fn(async () => [...contents.keys()].sort()),
  } satisfies WorkspaceFiles;
  return { files, contents };
}

/** Runs one call of `name` with `input`, as the agent loop would. */
export function call(
  files: WorkspaceFiles,
  name: string,
  input: Record<string, unknown>,
  allowed?: readonly string[],
): Promise<AgentToolResult> {
  return runToolCall({ id: 'call-1', name, input }, files, allowed);
}

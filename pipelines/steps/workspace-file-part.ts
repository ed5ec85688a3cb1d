import { z } from 'zod';
import { parseTemplate } from '../templates.js';
import { workspacePathProblem } from '../workspace-paths.js';

/**
 * The `workspace_file` prompt part: a file of the run's workspace (the repository snapshot with
 * the run's change set over it), read when the step runs, so a step sees what earlier agent steps
 * wrote. Its path may hold templates; a literal path that would leave the workspace is refused at
 * load time, a templated one by the step runner once it is rendered (`File.InvalidPath`).
 */
export const workspaceFilePart = z
  .strictObject({
    type: z.literal('workspace_file'),
    path: z
      .string()
      .min(1)
      .superRefine((path, ctx) => {
        const problem = literalPathProblem(path);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .describe(
        "Path relative to the top folder of the run's workspace (src/index.ts); may hold {{…}} templates.",
      ),
  })
  .describe("A file of the run's workspace (snapshot and changes), read when the step runs.");

function literalPathProblem(path: string): string | undefined {
  if (!parseTemplate(path).segments.every((segment) => segment.kind === 'text')) return undefined;
  // workspacePathProblem words an absolute path for file_ops (the tenant's S3 prefix); here the
  // workspace is a repository.
  if (/^(\/|[A-Za-z]:)/.test(path)) {
    return `"${path}" is absolute; a workspace_file path is relative to the repository's top folder, e.g. src/index.ts`;
  }
  return workspacePathProblem(path);
}

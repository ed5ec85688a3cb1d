import { z } from 'zod';
import { ErrorName } from '../../../pipelines/contract/errors.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';

/**
 * A tool failed in a way the model caused and can correct (a path outside the workspace, a missing
 * file, an `old_string` that is not there): the registry turns it into an error result the model
 * reads. Failures of the workspace itself (the store is down) are not this class: they propagate and
 * fail the step, because the model cannot fix them.
 */
export class ToolFailure extends Error {
  constructor(
    readonly errorName: ErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'ToolFailure';
  }
}

/** What a tool gave back: its text for the model, and the file it changed, if it changed one. */
export interface ToolOutput {
  readonly content: string;
  readonly changedPath?: string;
}

/** A tool as the registry holds it: what the provider sends the model, and how to run a call of it. */
export interface AgentTool {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the input, derived from the zod schema the call is checked against. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
  /** Checks the input, then runs the call; throws {@link ToolFailure} for a refused or failed call. */
  run(input: unknown, files: WorkspaceFiles): Promise<ToolOutput>;
}

/**
 * A tool whose input is checked by `schema` before `run` sees it, so `run` gets typed fields and a
 * wrong input becomes `Tool.InvalidInput` naming the field. Field descriptions (`.describe()`) go
 * into the JSON Schema the model reads on every turn: keep them short.
 */
export function defineTool<Schema extends z.ZodObject>(tool: {
  readonly name: string;
  readonly description: string;
  readonly schema: Schema;
  readonly run: (input: z.infer<Schema>, files: WorkspaceFiles) => Promise<ToolOutput>;
}): AgentTool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: jsonSchemaOf(tool.schema),
    run: async (input, files) => {
      const parsed = tool.schema.safeParse(input);
      if (!parsed.success) throw new ToolFailure(ErrorName.ToolInvalidInput, describeIssues(parsed.error));
      return tool.run(parsed.data, files);
    },
  };
}

/** One clause per problem, led by the field it is about: `file_path: expected string, received undefined`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : 'input';
      return `${field}: ${issue.message.replace(/^Invalid input: /, '')}`;
    })
    .join('; ');
}

function jsonSchemaOf(schema: z.ZodObject): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    // zod writes JavaScript's safe-integer bounds on every integer; they tell a model nothing and
    // would cost tokens on every turn.
    override: ({ jsonSchema }) => {
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    },
  });
  // Providers take the input schema as an object schema; the dialect marker is noise to them.
  const { $schema: _dialect, ...inputSchema } = json;
  return inputSchema;
}

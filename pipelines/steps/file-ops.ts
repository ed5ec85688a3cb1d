import { z } from 'zod';
import { CONVERT_FORMATS, FILE_OPERATIONS, type FileOperation } from '../contract/step-options.js';
import { parseTemplate } from '../templates.js';
import { workspacePathProblem } from '../workspace-paths.js';
import { stepName } from './step-fields.js';

/** pipeline_ex operations and formats this version refuses, with what to write instead. */
const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['stream_copy', 'write operation: copy; S3 copies objects server-side, so nothing is held in memory'],
  [
    'stream_process',
    'transform text in a claude or gemini step, or structured data in a data_transform step',
  ],
  [
    'xml_to_json',
    'XML has no single JSON mapping; convert it outside the pipeline, or parse it in an LLM step',
  ],
  ['json_to_xml', 'XML has no single JSON mapping; write JSON or YAML (json_to_yaml)'],
]);

const path = z
  .string()
  .describe('A path in the workspace (tenants/{tenant}/workspace/); may hold templates.');

const fileCheck = z
  .strictObject({
    path,
    must_exist: z.boolean().optional().describe('Default true.'),
    must_be_file: z.boolean().optional().describe('An object exists at exactly this path.'),
    must_be_dir: z.boolean().optional().describe('Some object exists under PATH/.'),
    min_size: z.number().int().nonnegative().optional().describe('Bytes; the path must be a file.'),
    max_size: z.number().int().nonnegative().optional().describe('Bytes; the path must be a file.'),
    must_be_readable: z.boolean().optional().describe('Always true inside the workspace.'),
    must_be_writable: z.boolean().optional().describe('Always true inside the workspace.'),
  })
  .describe('What must hold for one path.');

/** `file_ops`: copies, moves, deletes, validates, lists or converts files in the tenant's workspace on S3. */
export const fileOpsStep = z
  .strictObject({
    name: stepName,
    type: z.literal('file_ops'),
    description: z.string().optional(),
    operation: z.enum([
      ...(Object.keys(FILE_OPERATIONS) as FileOperation[]),
      'stream_copy',
      'stream_process',
    ]),
    source: path.optional(),
    destination: path.optional(),
    path: path.optional(),
    pattern: z
      .string()
      .min(1)
      .optional()
      .describe('list: a glob relative to path (*, **, ?, {a,b}); default *.'),
    files: z.array(fileCheck).min(1).optional().describe('validate: the checks, each on one path.'),
    format: z.enum([...CONVERT_FORMATS, 'xml_to_json', 'json_to_xml']).optional(),
    processor: z.string().optional().describe('pipeline_ex stream_process only; not supported.'),
    replacement: z.string().optional().describe('pipeline_ex stream_process only; not supported.'),
  })
  .superRefine((step, ctx) => {
    const refused = UNSUPPORTED.get(step.operation) ?? (step.format && UNSUPPORTED.get(step.format));
    if (refused !== undefined) {
      const field = UNSUPPORTED.has(step.operation) ? 'operation' : 'format';
      const value = field === 'operation' ? step.operation : step.format;
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `${field} ${value} is not supported: ${refused}`,
      });
      return;
    }
    const reads: readonly string[] = FILE_OPERATIONS[step.operation as FileOperation];
    for (const field of [
      'source',
      'destination',
      'path',
      'pattern',
      'files',
      'format',
      'processor',
      'replacement',
    ]) {
      const present = (step as Record<string, unknown>)[field] !== undefined;
      const optional = field === 'pattern';
      if (present && !reads.includes(field)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `operation ${step.operation} does not read ${field}; it reads ${reads.join(', ')}`,
        });
      } else if (!present && !optional && reads.includes(field)) {
        ctx.addIssue({ code: 'custom', path: [], message: `operation ${step.operation} needs ${field}` });
      }
    }
    for (const [field, value] of pathFields(step)) {
      const problem = literalPathProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', path: field, message: problem });
    }
  })
  .describe("Copies, moves, deletes, validates, lists or converts files in the tenant's workspace on S3.");

/** A `file_ops` step as loaded. */
export type FileOpsStep = z.infer<typeof fileOpsStep>;

/** Every path a step names, with its field path inside the step. */
export function pathFields(step: FileOpsStep): [(string | number)[], string][] {
  const fields: [(string | number)[], string][] = [];
  for (const key of ['source', 'destination', 'path'] as const) {
    const value = step[key];
    if (value !== undefined) fields.push([[key], value]);
  }
  for (const [index, check] of (step.files ?? []).entries())
    fields.push([['files', index, 'path'], check.path]);
  return fields;
}

/** A literal path's problem; a path with templates is checked when the step runs, once it is known. */
function literalPathProblem(value: string): string | undefined {
  const literal = parseTemplate(value).segments.every((segment) => segment.kind === 'text');
  return literal ? workspacePathProblem(value) : undefined;
}

import { z } from 'zod';
import type { NestedOutput } from '../contract/step-options.js';
import { type NestedStep, nestedSteps } from './nested-steps.js';
import { stepName } from './step-fields.js';

/** Nesting depth allowed when `config.max_depth` says nothing (pipeline_ex's default). */
export const DEFAULT_MAX_DEPTH = 10;

/** Steps allowed over a pipeline and everything nested in it when `config.max_total_steps` says nothing. */
export const DEFAULT_MAX_TOTAL_STEPS = 1000;

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'a name starts with a letter or "_" and holds only letters, digits and "_"',
});

const output = z.union([
  stepName.describe('A child step whose result becomes the output of that name.'),
  z
    .strictObject({
      path: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/, {
          message: 'path is STEP.field.field, e.g. analysis.metrics.accuracy',
        })
        .describe("STEP.field…: a field of a child step's result."),
      as: variableName.describe('The name of the output.'),
    })
    .describe('A field of a child step, renamed.'),
]);

const config = z
  .strictObject({
    inline: z
      .boolean()
      .optional()
      .describe(
        "true: the child's steps run inside this state machine; default false: a child state machine execution.",
      ),
    inherit_context: z
      .boolean()
      .optional()
      .describe(
        "The child sees this pipeline's global variables (and its inputs, when inputs is not given).",
      ),
    max_depth: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe(`Nesting depth allowed (default ${DEFAULT_MAX_DEPTH}).`),
    max_total_steps: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(`Steps allowed over this pipeline and its children (default ${DEFAULT_MAX_TOTAL_STEPS}).`),
    timeout_seconds: z.number().int().positive().optional().describe("The child execution's TimeoutSeconds."),
    memory_limit_mb: z
      .number()
      .positive()
      .optional()
      .describe('Accepted for compatibility; Lambda sets memory.'),
    workspace_enabled: z
      .boolean()
      .optional()
      .describe('Accepted for compatibility; every tenant has one workspace.'),
    cleanup_on_error: z.boolean().optional().describe('Accepted for compatibility; artifacts are kept.'),
  })
  .describe('How the child runs and the limits it runs under.');

const inline = z
  .strictObject({
    name: z.string().min(1).describe("The inline pipeline's name."),
    description: z.string().optional(),
    get steps(): z.ZodArray<z.ZodType<NestedStep>> {
      return nestedSteps('an inline pipeline').describe('Its steps, checked like top-level ones.');
    },
  })
  .describe('A pipeline written inline.');

/**
 * `pipeline`: runs another pipeline (a file, or one written inline) with its own inputs and scope,
 * and takes its declared outputs as this step's result.
 */
export const pipelineStep = z
  .strictObject({
    name: stepName,
    type: z.literal('pipeline'),
    description: z.string().optional(),
    pipeline_file: z
      .string()
      .min(1)
      .optional()
      .describe('A pipeline file, relative to this file; loaded and checked with this one.'),
    pipeline: inline.optional(),
    pipeline_ref: z.string().optional().describe('Not supported: pipeline_ex has no registry either.'),
    inputs: z
      .record(variableName, z.unknown())
      .optional()
      .describe("The child's inputs ({{inputs.NAME}} there); values may be templates read here."),
    outputs: z
      .array(output)
      .optional()
      .describe("The child's results this step returns (default: every child step's result)."),
    config: config.optional(),
  })
  .superRefine((step, ctx) => {
    if (step.pipeline_ref !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pipeline_ref'],
        message:
          'pipeline_ref is not supported (pipeline_ex has no registry either); write pipeline_file: PATH',
      });
    } else if ((step.pipeline_file === undefined) === (step.pipeline === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a pipeline step needs exactly one of pipeline_file or pipeline (inline)',
      });
    }
  })
  .describe('Runs another pipeline and returns its declared outputs.');

/** A `pipeline` step as loaded. */
export type PipelineStep = z.infer<typeof pipelineStep>;

/** The outputs a step declares, as `{as, step, path}`; undefined when it declares none. */
export function nestedOutputs(
  outputs: readonly (string | { readonly path: string; readonly as: string })[] | undefined,
): NestedOutput[] | undefined {
  return outputs?.map((entry) => {
    if (typeof entry === 'string') return { as: entry, step: entry, path: [] };
    const [step = '', ...path] = entry.path.split('.');
    return { as: entry.as, step, path };
  });
}

import { z } from 'zod';
import { OPTIMIZERS, SIGNATURE_FIELD_TYPES } from '../contract/learning-spec.js';
import { jsonSchemaProblems } from '../output-schema.js';
import { stepName } from './step-fields.js';

/**
 * How a step's outcome is scored (`evaluators:`), and how it opts in to prompt optimization
 * (`optimize:`): which of its values form the DSPy signature, the metric, the optimizer and its
 * budget, and the promotion gate. Accepted by `claude` and `gemini` steps; `evaluators:` also at the
 * workflow level, where they apply to every step that opts in.
 */

/** Output field names DSPy's layout reserves (`reasoning` with chain_of_thought, the end marker). */
export const RESERVED_FIELD_NAMES = ['completed', 'reasoning'] as const;

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'a field name starts with a letter or "_" and holds only letters, digits and "_"',
});

const evaluatorName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, {
    message: 'an evaluator name is like a step name, e.g. valid_category',
  })
  .optional()
  .describe('Unique name among the step’s evaluators (default: its type); optimize.metric refers to it.');

const answerField = identifier
  .optional()
  .describe(
    'A field of the answer to check (a signature output, or a top-level JSON field); default: the whole text.',
  );

const jsonSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  for (const problem of jsonSchemaProblems(schema)) {
    ctx.addIssue({
      code: 'custom',
      message: `not a valid JSON Schema: ${problem.message}`,
      path: [...problem.path],
    });
  }
});

const outputSchemaEvaluator = z
  .strictObject({
    type: z.literal('output_schema'),
    name: evaluatorName,
    schema: jsonSchema.optional().describe("Default: the step's output_schema."),
  })
  .describe('1 when the answer (its JSON, or the signature outputs) matches the JSON Schema, else 0.');

const containsEvaluator = z
  .strictObject({
    type: z.literal('contains'),
    name: evaluatorName,
    value: z.string().min(1),
    field: answerField,
    ignore_case: z.boolean().optional(),
  })
  .describe('1 when the checked text contains the value, else 0.');

const regexEvaluator = z
  .strictObject({
    type: z.literal('regex'),
    name: evaluatorName,
    pattern: z.string().refine(compiles, { message: 'not a valid regular expression' }),
    field: answerField,
  })
  .describe(
    '1 when the pattern matches somewhere in the checked text, else 0 (JavaScript and Python syntax alike).',
  );

const jsonPathEqualsEvaluator = z
  .strictObject({
    type: z.literal('json_path_equals'),
    name: evaluatorName,
    path: z
      .string()
      .regex(/^\$(\.[A-Za-z0-9_-]+|\[\d+\])*$/, { message: 'a JSON path such as $.plan.steps[0].title' }),
    equals: z.unknown(),
  })
  .describe('1 when the value at the JSON path of the answer equals `equals`, else 0.');

const llmJudgeEvaluator = z
  .strictObject({
    type: z.literal('llm_judge'),
    name: evaluatorName,
    rubric: z
      .string()
      .min(1)
      .describe('What a good answer does; the judge grades the answer against it from 0 to 1.'),
    model: z
      .string()
      .optional()
      .describe("The judge's model (default: the step's model), of the step's provider."),
  })
  .describe('A model grades the answer against a rubric, from 0 to 1 (an extra model call per attempt).');

const stepSucceededEvaluator = z
  .strictObject({
    type: z.literal('step_succeeded'),
    name: evaluatorName,
    step: stepName.describe('A later step, e.g. the one that runs the tests.'),
    field: answerField.describe('A field of the later step’s JSON answer that must be true, e.g. passed.'),
  })
  .describe(
    '1 when a later step of the run succeeds (and its field is true), 0 when it fails; scored when the run ends.',
  );

/** One way of scoring a step's answer. */
export const EvaluatorSchema = z.discriminatedUnion('type', [
  outputSchemaEvaluator,
  containsEvaluator,
  regexEvaluator,
  jsonPathEqualsEvaluator,
  llmJudgeEvaluator,
  stepSucceededEvaluator,
]);

/** A step's (or the workflow's) evaluators. */
export const evaluators = z
  .array(EvaluatorSchema)
  .min(1)
  .describe("How the step's answers are scored; scores are stored with each attempt, beside human feedback.");

const fieldType = z.enum(SIGNATURE_FIELD_TYPES).optional().describe('Python type name (default str).');

const inputField = z.union([
  z.string().describe('A template giving the value, e.g. "{{inputs.ticket}}".'),
  z.strictObject({
    value: z.string().describe('A template giving the value; a whole template keeps its type.'),
    type: fieldType,
    desc: z.string().optional(),
  }),
]);

const outputField = z.union([
  z.string().describe('What the field holds.'),
  z.strictObject({ type: fieldType, desc: z.string().optional() }),
]);

const fraction = z.number().min(0).max(1);

/** A model written like a step's `model`: an id, or (for Claude) an alias such as `opus`; checked at load. */
const modelName = z.string().min(1).optional();

/** A step's `optimize:` block. */
export const optimize = z
  .strictObject({
    inputs: z
      .record(identifier, inputField)
      .refine((fields) => Object.keys(fields).length > 0, { message: 'name at least one input' })
      .describe('The signature inputs: name → template (or {value, type, desc}).'),
    outputs: z
      .record(identifier, outputField)
      .refine((fields) => Object.keys(fields).length > 0, { message: 'name at least one output' })
      .describe('The signature outputs: name → description (or {type, desc}).'),
    instructions: z
      .string()
      .min(1)
      .optional()
      .describe("The task, as DSPy's instructions (default: DSPy's)."),
    chain_of_thought: z.boolean().optional().describe('Ask for a reasoning field before the outputs.'),
    metric: z
      .string()
      .optional()
      .describe('The evaluator to optimize for, by name (default: the mean of all evaluators).'),
    optimizer: z.enum(OPTIMIZERS).optional().describe('Default bootstrap_few_shot.'),
    reflection_model: modelName.describe(
      "The model GEPA reflects with and MIPROv2 proposes instructions with (default: the step's model): a model id or alias of the step's provider. Needs optimizer gepa or mipro_v2.",
    ),
    judge_model: modelName.describe(
      "The model llm_judge evaluators that name none grade with while compiling (default: the step's model): a model id or alias of the step's provider. Run-time judging is unchanged.",
    ),
    budget: z
      .strictObject({
        max_demos: z
          .number()
          .int()
          .min(0)
          .max(16)
          .optional()
          .describe('Demonstrations in the prompt (default 4).'),
        trials: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe('Candidate programs to try (default 10).'),
      })
      .optional(),
    held_out: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .describe('Share of scored runs kept out of compilation to judge candidates on (default 0.25).'),
    min_examples: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Scored train examples needed to compile (default 8).'),
    margin: fraction
      .optional()
      .describe('How much a candidate must beat the active version by (default 0.02).'),
    canary: fraction
      .lt(1)
      .optional()
      .describe('Share of runs a promoted candidate serves until live scores confirm it (default 0: none).'),
    seed: z.number().int().min(0).optional().describe('Seed of the split and the optimizer (default 1).'),
    label_threshold: fraction
      .optional()
      .describe('Score an attempt needs for its answer to serve as a demonstration (default 0.8).'),
  })
  .describe(
    'Opts the step in to prompt optimization: its prompt becomes a DSPy signature, compiled into prompt packs.',
  );

/** The fields a step type spreads into its schema to accept evaluators and optimization. */
export const learningFields = {
  evaluators: evaluators.optional(),
  optimize: optimize.optional(),
};

/** A step's evaluators as written. */
export type Evaluator = z.infer<typeof EvaluatorSchema>;

/** A step's `optimize:` block as written. */
export type Optimize = z.infer<typeof optimize>;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * The compiled forms of `evaluators:` and `optimize:` in a step spec. The step runner scores attempts
 * with them, and the optimizer (`optimizer/src/elexirion_optimizer/spec.py`) reads them from the spec
 * bundle, so every default is applied and the shapes stay as they are.
 */

/** The signature field types a step may declare, by the Python type name DSPy renders them with. */
export const SIGNATURE_FIELD_TYPES = ['str', 'int', 'float', 'bool', 'list[str]', 'dict'] as const;

/** The optimizers a step may select; `bootstrap_few_shot` is the default. */
export const OPTIMIZERS = ['bootstrap_few_shot', 'mipro_v2', 'gepa'] as const;

/**
 * The optimizers that write instructions with a model, and so use `reflection_model`: GEPA reflects
 * on the evaluators' feedback, MIPROv2 proposes instruction candidates. `bootstrap_few_shot` only
 * picks demonstrations.
 */
export const REFLECTING_OPTIMIZERS: readonly (typeof OPTIMIZERS)[number][] = ['mipro_v2', 'gepa'];

/** How one evaluator scores an answer; `name` is unique among the step's evaluators. */
export type EvaluatorSpec = { readonly name: string } & (
  | { readonly kind: 'output_schema'; readonly schema: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'contains';
      readonly value: string;
      readonly field?: string;
      readonly ignoreCase?: boolean;
    }
  | { readonly kind: 'regex'; readonly pattern: string; readonly field?: string }
  | { readonly kind: 'json_path_equals'; readonly path: string; readonly equals: unknown }
  | { readonly kind: 'llm_judge'; readonly rubric: string; readonly model?: string }
  | { readonly kind: 'step_succeeded'; readonly step: string; readonly field?: string }
);

/** A signature field: its name, Python type name and description. */
export interface SignatureFieldSpec {
  readonly name: string;
  readonly type: (typeof SIGNATURE_FIELD_TYPES)[number];
  readonly desc?: string;
}

/** A step's `optimize:` block with defaults applied. */
export interface OptimizeSpec {
  readonly signature: {
    readonly instructions?: string;
    /** Each input with the template that gives its value at run time. */
    readonly inputs: readonly (SignatureFieldSpec & { readonly value: string })[];
    readonly outputs: readonly SignatureFieldSpec[];
    readonly chainOfThought: boolean;
  };
  /** The evaluator optimized for; absent: the mean of every evaluator. */
  readonly metric?: string;
  readonly optimizer: (typeof OPTIMIZERS)[number];
  readonly budget: { readonly maxDemos: number; readonly trials: number };
  readonly heldOut: number;
  readonly minExamples: number;
  readonly margin: number;
  readonly canary: number;
  readonly seed: number;
  readonly labelThreshold: number;
  /**
   * The provider model id GEPA reflects with and MIPROv2 proposes instructions with, of the step's
   * provider; absent: the step's own model.
   */
  readonly reflectionModel?: string;
  /**
   * The provider model id an `llm_judge` evaluator that names no model grades with while compiling,
   * of the step's provider; absent: the step's own model. At run time the judge is unchanged.
   */
  readonly judgeModel?: string;
}

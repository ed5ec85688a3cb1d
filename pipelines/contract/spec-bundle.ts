import type { AgentSpec } from './agent.js';
import type { Expr } from './condition-ast.js';
import type { EvaluatorSpec, OptimizeSpec } from './learning-spec.js';
import type { ModelFamily, SamplingOptions } from './models.js';
import type {
  ConvertFormat,
  DataOperation,
  FallbackAction,
  FileOperation,
  InputDecl,
  NestedOutput,
  PostProcessingOperation,
} from './step-options.js';

/**
 * What a pipeline compiles to, besides its ASL: the spec bundle the step runner reads, and the
 * placeholders a deployer fills. The compiler (`statemachines/`) writes it; the runtime
 * (`functions/`) reads it; neither side's code is imported here.
 */

/**
 * A prompt part as the step runner renders it. `static` content may hold templates; `file` content
 * is literal; a `workspace_file` path (which may hold templates) names a file of the run's
 * workspace, read when the step runs.
 */
export type PromptPartSpec =
  | { readonly type: 'static'; readonly content: string }
  | { readonly type: 'file'; readonly path: string; readonly content: string }
  | { readonly type: 'previous_response'; readonly step: string; readonly extract?: string }
  | { readonly type: 'session_context'; readonly session: SessionRef; readonly includeLastN?: number }
  | { readonly type: 'workspace_file'; readonly path: string };

/** A stored conversation: its name, and whether it lasts for the tenant (across runs) or one run. */
export interface SessionRef {
  readonly name: string;
  readonly scope: 'tenant' | 'run';
}

/** How a `claude_extract` answer is turned into its result. */
export interface ExtractionSpec {
  readonly format: 'text' | 'json' | 'structured' | 'summary' | 'markdown';
  readonly postProcessing: readonly PostProcessingOperation[];
  readonly maxSummaryLength: number;
  readonly includeMetadata: boolean;
}

/** What answers when a step fails for good: another model first, then the actions, in order. */
export interface FallbackSpec {
  /** Provider model id of the fallback model. */
  readonly model?: string;
  readonly actions: readonly FallbackAction[];
}

/**
 * How many provider calls a `claude_robust` step may make, and how they are shared: `total` is
 * `max_retries + 1`, split statically between the links of the chain that call a model (each
 * Task's Retry `MaxAttempts` is its share minus one). Fallbacks that call no model are outside it;
 * so are schema repairs, bounded by `output_schema_repairs` (one call each, not retried).
 */
export interface CallBudgetSpec {
  /** The most provider calls of the step (`max_retries + 1`), schema repairs aside. */
  readonly total: number;
  /** The most the step's own call makes, its retries included. */
  readonly primary: number;
  /** The most the fallback model makes; absent: the step has no fallback model. */
  readonly fallbackModel?: number;
  /** The most `simplified_prompt` makes; absent: it is not in the chain. */
  readonly simplifiedPrompt?: number;
  /** Schema repairs, outside the budget: at most this many more calls, one each. */
  readonly repairs: number;
}

/** Everything the step runner needs to run one LLM step, with defaults already applied. */
export interface LlmStepSpec extends SamplingOptions {
  readonly kind: 'llm';
  readonly family: ModelFamily;
  readonly model: string;
  /** Template text of the system prompt, when the step has one. */
  readonly system?: string;
  readonly prompt: readonly PromptPartSpec[];
  readonly maxOutputTokens: number;
  readonly timeoutMs: number;
  /** JSON Schema the answer must match, as JSON; `{}` asks for any JSON. Absent: any answer. */
  readonly outputSchema?: Readonly<Record<string, unknown>>;
  /** A `claude_extract` step's extraction. */
  readonly extraction?: ExtractionSpec;
  /** The conversation a `claude_session` step continues, with how many earlier turns it sends. */
  readonly session?: SessionRef & { readonly maxTurns?: number };
  /** The fallbacks the state machine may ask the runner for. */
  readonly fallback?: FallbackSpec;
  /** A `claude_robust` step's call budget, as compiled into its Retry policies (for the record and `show`). */
  readonly callBudget?: CallBudgetSpec;
  /** The `claude_*` preset the spec started from, for the record. */
  readonly preset?: string;
  /**
   * Top-level fields of the JSON answer that later Choice states read (conditions, switch
   * expressions): the runner copies them, size-capped, into the reference as `fields`
   * (`functions/step-runner/exposed-fields.ts`), because Choice states read the state, never S3.
   */
  readonly exposeFields?: readonly string[];
  /** How the step's attempts are scored (`evaluators:`; the workflow's too when it opts in). */
  readonly evaluators?: readonly EvaluatorSpec[];
  /** Present when the step opts in to prompt optimization: an active prompt pack may replace its prompt. */
  readonly optimize?: OptimizeSpec;
  /** Present for an agent step (a `claude` or `gemini` step with tools): its tool-use loop. */
  readonly agent?: AgentSpec;
}

/** One task of a `claude_batch` or `parallel_claude` step, run under its own step id. */
export interface BatchTaskRef {
  readonly id: string;
  readonly stepId: string;
}

/**
 * A `claude_batch` or `parallel_claude` step's own spec. Its tasks are LLM specs of their own; this
 * one writes the item manifest a Distributed Map reads, and consolidates the task results.
 */
export interface BatchStepSpec {
  readonly kind: 'batch';
  readonly type: 'claude_batch' | 'parallel_claude';
  readonly family: ModelFamily;
  readonly model: string;
  readonly tasks: readonly BatchTaskRef[];
  /** Whether the step's text joins every answer (else it is a status line). */
  readonly consolidate: boolean;
  /** Whether the tasks run in a Distributed Map, which reads its items from a manifest in S3. */
  readonly distributed: boolean;
  /**
   * `files_from`: the tasks are the workspace files matching `glob` (at most `maxFiles`), found when
   * the step runs; they share the LLM spec `stepId`, each task its file as its last prompt part. Then
   * `tasks` is empty: the manifest lists them.
   */
  readonly files?: { readonly glob: string; readonly maxFiles: number; readonly stepId: string };
}

/** A `set_variable` step whose values need step outputs, so the step runner evaluates it. */
export interface SetVariableStepSpec {
  readonly kind: 'set_variable';
  /** Values as written; strings may be templates. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** A `test_echo` step the step runner evaluates: its value reads step outputs or calls a function, or it fails. */
export interface TestEchoStepSpec {
  readonly kind: 'test_echo';
  /** The value as written; strings may be templates. */
  readonly value: unknown;
  /** Set when the echo fails (`fail: true` or `"__FAIL__"`): the cause of its Step.EchoFailed. */
  readonly failMessage?: string;
}

/** A `data_transform` step, its sources resolved to the one template each means. */
export interface DataTransformStepSpec {
  readonly kind: 'data_transform';
  /** One whole template (`{{steps.fetch.orders}}`). */
  readonly inputSource: string;
  /** As written, except each join's `right_source`, resolved to a template too. */
  readonly operations: readonly DataOperation[];
  readonly outputField: string;
}

/** A `file_ops` step: the operation and its fields as written (paths may hold templates). */
export interface FileOpsStepSpec {
  readonly kind: 'file_ops';
  readonly operation: FileOperation;
  readonly source?: string;
  readonly destination?: string;
  readonly path?: string;
  readonly pattern?: string;
  readonly format?: ConvertFormat;
  readonly files?: readonly Readonly<Record<string, unknown> & { readonly path: string }>[];
}

/**
 * A `test` step: the command the test-runner task runs on the run's workspace (defaults applied),
 * and whether a failing run fails the step. The step runner reads the task's outcome.
 */
export interface TestStepSpec {
  readonly kind: 'test';
  /** Run by `/bin/sh -c`, literally. */
  readonly command: string;
  /** Literal variables added to the test process's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  /** A failing command fails the step with `Test.Failed`, after its result is recorded. */
  readonly required: boolean;
}

/** Evaluates the inputs of a nested pipeline that read step outputs; returns `{inputs}`. */
export interface PipelineInputsStepSpec {
  readonly kind: 'pipeline_inputs';
  /** Values as written, the child's input defaults included; strings may be templates. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** Builds a nested pipeline step's result, `{NAME: value}`, from its child's step results. */
export interface PipelineOutputsStepSpec {
  readonly kind: 'pipeline';
  readonly outputs: readonly NestedOutput[];
}

/** A step spec of any kind. */
export type StepSpec =
  | LlmStepSpec
  | SetVariableStepSpec
  | BatchStepSpec
  | TestEchoStepSpec
  | DataTransformStepSpec
  | FileOpsStepSpec
  | TestStepSpec
  | PipelineInputsStepSpec
  | PipelineOutputsStepSpec
  | ConditionStepSpec
  | LoopItemsStepSpec;

/**
 * A condition or value the step runner evaluates because a Choice rule cannot express it
 * (arithmetic, functions, regular expressions, fields of answers in S3). It returns
 * `{condition_met}` (mode `test`) or `{value}` (mode `value`, a switch expression).
 */
export interface ConditionStepSpec {
  readonly kind: 'condition';
  readonly mode: 'test' | 'value';
  /** The resolved tree (`pipelines/contract/condition-ast.ts`). */
  readonly expression: Expr;
  /** The condition in its preferred spelling, for messages. */
  readonly text: string;
}

/**
 * A for_loop's list, read by the step runner when it is not a typed list already in the state (a
 * field of an answer in S3, a value of unknown type), with its break_condition evaluated per item.
 * It returns `{total_items, last_index, break_index, items}`.
 */
export interface LoopItemsStepSpec {
  readonly kind: 'loop_items';
  /** The data_source as a whole-value template, e.g. `{{steps.scan.files}}`. */
  readonly dataSource: string;
  readonly iterator: string;
  /** More items than this fail with Loop.TooManyItems. */
  readonly maxItems: number;
  readonly breakCondition?: Expr;
}

/** A step spec with the content hash that identifies its prompt version. */
export type VersionedStepSpec = StepSpec & { readonly hash: string };

/**
 * The spec bundle: the compiled pipeline's data half. The ASL names steps by id; the bundle holds
 * what each step does. Keyed by content hash, so a run always reads the bundle it started with.
 */
export interface SpecBundle {
  readonly pipeline: string;
  readonly hash: string;
  readonly inputs: Readonly<Record<string, InputDecl>>;
  readonly steps: Readonly<Record<string, VersionedStepSpec>>;
  /**
   * The most the execution state holds besides the run's inputs (the compiler's worst-case
   * estimate, `statemachines/limits.ts`): a run's inputs must fit in the rest of the 256 KiB, which
   * is checked before it starts. Derived from the definition, like the ASL, so not part of `hash`.
   */
  readonly stateBytes: number;
}

/** An ASL state or definition: plain JSON. */
export type AslObject = { [key: string]: AslValue };
/** Any JSON value inside a definition. */
export type AslValue = string | number | boolean | null | AslValue[] | AslObject;

/** Placeholders in the compiled ASL, filled by CDK `definitionSubstitutions` or the local executor. */
export const Placeholder = {
  StepRunner: '${StepRunnerArn}',
} as const;

/** Matches every child state machine placeholder in a definition's text. */
export const CHILD_STATE_MACHINE_PLACEHOLDER = /\$\{ChildStateMachine_[A-Za-z0-9_]+\}/g;

/** The Task resource that starts a child execution and waits for it, its output parsed as JSON. */
export const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync:2';

/** The Task resource that runs an ECS task and waits for it to stop: a `test` step's command. */
export const RUN_TASK_SYNC = 'arn:aws:states:::ecs:runTask.sync';

/**
 * What a `test` step's `ecs:runTask.sync` Task names: the tenant's test-runner cluster, task
 * definition and network, filled by CDK `definitionSubstitutions` (`infra/constructs/test-runner.ts`).
 * The local executor runs the task in-process and reads none of them.
 */
export const TestRunnerPlaceholder = {
  Cluster: '${TestRunnerCluster}',
  TaskDefinition: '${TestRunnerTaskDefinition}',
  /** One subnet in each of the two Availability Zones the test-runner VPC spans. */
  Subnets: ['${TestRunnerSubnet1}', '${TestRunnerSubnet2}'],
  SecurityGroup: '${TestRunnerSecurityGroup}',
} as const;

/** The test-runner container, and the environment variables its task is told its work by. */
export const TestRunnerContainer = {
  name: 'test-runner',
  /** The run's identity (`RunIdentity`) as JSON. */
  runVariable: 'ELEXIRION_TEST_RUN',
  /** The step's id as a step-runner event names it (inside a nested pipeline, without its scope). */
  stepVariable: 'ELEXIRION_TEST_STEP',
} as const;

/** A nested pipeline's own state machine, deployed beside its parent's. */
export interface ChildStateMachine {
  /** The placeholder the parent's definition names it by. */
  readonly placeholder: string;
  /** The dotted path of nesting steps, e.g. `report.summarize`. */
  readonly scope: string;
  readonly definition: AslObject;
}

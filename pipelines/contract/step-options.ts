/**
 * The vocabularies a step spec is written in: closed lists the pipeline schema validates against
 * (`pipelines/steps/`) and the step runner (`functions/steps/`) dispatches on.
 */

/** A declared run input. Runs are checked against these before they start. */
export type InputDecl = {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  readonly description?: string;
  /** Default true unless a default is given. */
  readonly required?: boolean;
  readonly default?: unknown;
};

/** What a `claude_robust` step does once its retries are spent (reference §5.9). */
export const FALLBACK_ACTIONS = [
  'graceful_degradation',
  'use_cached_response',
  'simplified_prompt',
  'emergency_response',
] as const;

/** A fallback action's name. */
export type FallbackAction = (typeof FALLBACK_ACTIONS)[number];

/** The fallback actions that answer without calling a model: outside the step's call budget. */
export const MODEL_FREE_FALLBACK_ACTIONS: readonly FallbackAction[] = [
  'graceful_degradation',
  'use_cached_response',
  'emergency_response',
];

/** The post-processing operations of `extraction_config.post_processing` (reference §5.7). */
export const POST_PROCESSING_OPERATIONS = [
  'extract_code_blocks',
  'extract_recommendations',
  'extract_links',
  'extract_key_points',
  'format_markdown',
  'generate_summary',
] as const;

/** A post-processing operation's name. */
export type PostProcessingOperation = (typeof POST_PROCESSING_OPERATIONS)[number];

/** The `file_ops` operations this version runs, with the fields each one reads. */
export const FILE_OPERATIONS = {
  copy: ['source', 'destination'],
  move: ['source', 'destination'],
  delete: ['path'],
  validate: ['files'],
  list: ['path', 'pattern'],
  convert: ['source', 'destination', 'format'],
} as const;

/** A supported `file_ops` operation. */
export type FileOperation = keyof typeof FILE_OPERATIONS;

/** The conversions of `convert`. */
export const CONVERT_FORMATS = ['csv_to_json', 'json_to_csv', 'yaml_to_json', 'json_to_yaml'] as const;

/** A supported conversion. */
export type ConvertFormat = (typeof CONVERT_FORMATS)[number];

/** The functions of an `aggregate` operation (reference §5.11). */
export const AGGREGATE_FUNCTIONS = [
  'sum',
  'average',
  'count',
  'max',
  'min',
  'first',
  'last',
  'unique',
] as const;

/** An `aggregate` function's name. */
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/**
 * One operation of a `data_transform` step, as loaded (`DataOperationSchema` in
 * `pipelines/steps/data-transform.ts` validates it). Fields are dot paths (`order.total`).
 */
export type DataOperation =
  | { readonly operation: 'filter'; readonly field?: string; readonly condition?: string }
  | {
      readonly operation: 'map';
      readonly field?: string;
      readonly mapping?: Record<string, unknown>;
      readonly expression?: 'uppercase' | 'lowercase';
    }
  | { readonly operation: 'aggregate'; readonly field?: string; readonly function?: AggregateFunction }
  | {
      readonly operation: 'join';
      readonly left_field?: string;
      readonly right_source: string;
      readonly join_key: string;
    }
  | { readonly operation: 'group_by'; readonly field: string }
  | { readonly operation: 'sort'; readonly field: string; readonly order?: 'asc' | 'desc' };

/** Where a nested pipeline's outputs come from, normalized: `{name, step, path}`. */
export interface NestedOutput {
  readonly as: string;
  readonly step: string;
  readonly path: readonly string[];
  /** The whole result of a test_echo is its value: `result` is unwrapped (unless the step was skipped). */
  readonly unwrap?: boolean;
}

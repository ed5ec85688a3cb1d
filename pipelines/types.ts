import type { Workflow } from './schema.js';

/** Stable codes of load and compile problems; tests assert these, not the wording. */
export type IssueCode =
  | 'YAML_SYNTAX'
  | 'MISSING_WORKFLOW'
  | 'MISSING_FIELD'
  | 'UNKNOWN_FIELD'
  | 'INVALID_VALUE'
  | 'UNKNOWN_STEP_TYPE'
  | 'UNKNOWN_PART_TYPE'
  | 'DUPLICATE_STEP'
  | 'UNKNOWN_REFERENCE'
  | 'FORWARD_REFERENCE'
  | 'BAD_TEMPLATE'
  | 'FILE_NOT_FOUND'
  | 'FILE_OUTSIDE_FOLDER'
  | 'FILE_REFUSED'
  | 'ASL_INVALID'
  | 'DEPRECATED_SYNTAX'
  | 'PIPELINE_CYCLE'
  | 'NESTING_TOO_DEEP'
  | 'TOO_MANY_STEPS'
  | 'STATE_TOO_LARGE'
  | 'DEFINITION_TOO_LARGE'
  | 'HISTORY_TOO_LONG'
  | 'BAD_CONDITION'
  | 'OUT_OF_SCOPE';

/**
 * A problem with a pipeline file, reported rather than thrown so one load shows every problem.
 * `range` holds character offsets into the file; the CLI turns them into `file:line:col`.
 */
export interface PipelineIssue {
  readonly code: IssueCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** What to write instead. */
  readonly hint?: string;
  /** Field path inside the file, e.g. `['workflow', 'steps', 1, 'prompt', 0, 'type']`. */
  readonly path: readonly (string | number)[];
  /** `[start, end)` character offsets; `[0, 0]` when the problem has no better place. */
  readonly range: readonly [number, number];
}

/** A loaded, checked pipeline. `file` parts carry the file's content, read at load time. */
export interface Pipeline {
  /** Absolute path of the pipeline file. */
  readonly file: string;
  readonly workflow: Workflow;
  /** Content of each `file` prompt part, keyed by the path written in the part. */
  readonly files: Readonly<Record<string, string>>;
  /** Each `pipeline_file` a nested pipeline step names, loaded and checked, keyed by the path as written. */
  readonly pipelines?: Readonly<Record<string, Pipeline>>;
  /**
   * The nesting steps this pipeline runs inside, outermost first (`['report', 'summarize']`); absent
   * at the top. The compiler sets it when it compiles a nested pipeline.
   */
  readonly scope?: readonly string[];
}

/** The outcome of loading: a pipeline when there are no errors, and every issue found. */
export interface LoadResult {
  readonly pipeline?: Pipeline;
  readonly issues: readonly PipelineIssue[];
  /** The file's text, for turning offsets into lines and columns. */
  readonly source: string;
}

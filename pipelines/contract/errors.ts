/**
 * The error names a pipeline can catch and retry on. Each runtime error class's `name`
 * (`functions/shared/errors.ts`) is exactly the string a Step Functions `ErrorEquals` matches, so the
 * compiler's Retry/Catch tables and the runtime share one spelling: {@link ErrorName}.
 *
 * Checks across a boundary compare `name`, never `instanceof`: a Lambda bundle can hold two copies of
 * a class, and Step Functions only ever sees the name.
 */
export const ErrorName = {
  ProviderRateLimited: 'Provider.RateLimited',
  ProviderOverloaded: 'Provider.Overloaded',
  ProviderServerError: 'Provider.ServerError',
  ProviderTimeout: 'Provider.Timeout',
  ProviderInvalidResponse: 'Provider.InvalidResponse',
  ProviderAuthFailed: 'Provider.AuthFailed',
  ProviderInvalidRequest: 'Provider.InvalidRequest',
  TemplateUnresolved: 'Template.Unresolved',
  SpecNotFound: 'Spec.NotFound',
  OutputInvalid: 'Output.Invalid',
  FallbackUnavailable: 'Fallback.Unavailable',
  BatchTooManyFailures: 'Batch.TooManyFailures',
  StepEchoFailed: 'Step.EchoFailed',
  DataInvalidInput: 'Data.InvalidInput',
  FileNotFound: 'File.NotFound',
  FileInvalidPath: 'File.InvalidPath',
  FileInvalidContent: 'File.InvalidContent',
  FileValidationFailed: 'File.ValidationFailed',
  LoopMaxIterations: 'Loop.MaxIterations',
  LoopTooManyItems: 'Loop.TooManyItems',
  LoopItemsInvalid: 'Loop.ItemsInvalid',
  OutputFieldsTooLarge: 'Output.FieldsTooLarge',
  PromptPackInvalid: 'PromptPack.Invalid',
  /** A tool call named a path outside the run's workspace; the model sees it as a tool error. */
  ToolOutsideWorkspace: 'Tool.OutsideWorkspace',
  /** An agent called a tool its step does not allow, or one that does not exist. */
  ToolUnknown: 'Tool.Unknown',
  /**
   * A tool call's input cannot be used: a missing or mistyped field, an `old_string` not in the file
   * (or in it more than once), an invalid regular expression. The model sees it as a tool error.
   */
  ToolInvalidInput: 'Tool.InvalidInput',
  /** An agent step used every turn `max_turns` allows without finishing. */
  AgentMaxTurns: 'Agent.MaxTurns',
  /** A call would spend more than the step's (or run's) budget allows. */
  BudgetExceeded: 'Budget.Exceeded',
  /** A `test` step with `required: true` whose command failed. */
  TestFailed: 'Test.Failed',
  /** A run's workspace (its snapshot, or the archive it came from) is missing or unusable. */
  WorkspaceInvalid: 'Workspace.Invalid',
} as const;

export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName];

/** Errors worth retrying: the provider may answer differently on the next attempt. */
export const TRANSIENT_ERRORS: readonly ErrorName[] = [
  ErrorName.ProviderRateLimited,
  ErrorName.ProviderOverloaded,
  ErrorName.ProviderServerError,
  ErrorName.ProviderTimeout,
  ErrorName.ProviderInvalidResponse,
];

/** Errors that fail the step at once: retrying cannot help until a person changes something. */
export const PERMANENT_ERRORS: readonly ErrorName[] = [
  ErrorName.ProviderAuthFailed,
  ErrorName.ProviderInvalidRequest,
  ErrorName.TemplateUnresolved,
  ErrorName.SpecNotFound,
  // Never retried as such: a step with output_schema catches it into its repair loop, and
  // claude_robust into its fallback chain.
  ErrorName.OutputInvalid,
  ErrorName.FallbackUnavailable,
  ErrorName.BatchTooManyFailures,
  // Data and file steps are deterministic: the same inputs fail the same way again.
  ErrorName.StepEchoFailed,
  ErrorName.DataInvalidInput,
  ErrorName.FileNotFound,
  ErrorName.FileInvalidPath,
  ErrorName.FileInvalidContent,
  ErrorName.FileValidationFailed,
  // Loops are bounded on purpose: hitting a bound again on a retry would only repeat the work.
  ErrorName.LoopMaxIterations,
  ErrorName.LoopTooManyItems,
  ErrorName.LoopItemsInvalid,
  // Fields a Choice state reads must fit in the state; the same answer is as large on a retry.
  ErrorName.OutputFieldsTooLarge,
  // A prompt pack the runtime cannot render as DSPy did stays broken until the optimizer replaces it.
  ErrorName.PromptPackInvalid,
  // Agent and test steps: the same turns, budget and code fail the same way again.
  ErrorName.ToolOutsideWorkspace,
  ErrorName.ToolUnknown,
  ErrorName.ToolInvalidInput,
  ErrorName.AgentMaxTurns,
  ErrorName.BudgetExceeded,
  ErrorName.TestFailed,
  ErrorName.WorkspaceInvalid,
];

/**
 * Lambda service errors Step Functions raises around an invocation. CDK's default retrier omits
 * `Lambda.TooManyRequestsException` (aws/aws-cdk#26474); a concurrency throttle is transient too.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
] as const;

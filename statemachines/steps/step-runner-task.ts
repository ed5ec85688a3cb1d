import { type AslObject, Placeholder } from '../../pipelines/contract/spec-bundle.js';
import { referencePath } from '../json-path.js';
import { type RetryPolicy, STEP_POLICY } from '../policies.js';
import { retryRequest } from '../policy-pass.js';
import { transition } from './context.js';

/**
 * A Task that calls the step runner for one step. The runner receives the run's small state (run
 * identity, inputs, variables and the references of earlier steps), never step outputs themselves:
 * those stay in S3, far from the 256 KiB state limit.
 */
export function stepRunnerTask(options: {
  /** The step id, or `{path}` for a step id read from the state (a Map iteration's task). */
  readonly stepId: string | { readonly path: string };
  /** Where the runner's reply goes in the state; absent: it becomes the state. */
  readonly resultPath?: string;
  readonly timeoutSeconds: number;
  readonly next: string | undefined;
  /** More event fields (`mode`, `recovery.$`, …). */
  readonly parameters?: AslObject;
  /** Shapes the reply before `resultPath`. */
  readonly resultSelector?: AslObject;
  /** What the policy pass makes its `Retry`. @default STEP_POLICY */
  readonly retry?: RetryPolicy;
  readonly catch?: readonly AslObject[];
  /** Inside a loop body: where the loop context is in the state, passed to the runner as `loop`. */
  readonly loop?: string;
}): AslObject {
  const stepId = options.stepId;
  return {
    Type: 'Task',
    // The bare function ARN: the state's result is the handler's reply, with no Payload envelope.
    Resource: Placeholder.StepRunner,
    Parameters: {
      ...(typeof stepId === 'string' ? { stepId } : { 'stepId.$': stepId.path }),
      'run.$': '$.run',
      'inputs.$': '$.inputs',
      'global_vars.$': '$.global_vars',
      'steps.$': '$.steps',
      ...(options.loop === undefined ? {} : { 'loop.$': options.loop }),
      ...options.parameters,
    },
    ...(options.resultSelector === undefined ? {} : { ResultSelector: options.resultSelector }),
    ...(options.resultPath === undefined ? {} : { ResultPath: options.resultPath }),
    TimeoutSeconds: options.timeoutSeconds,
    Retry: retryRequest(options.retry ?? STEP_POLICY),
    ...(options.catch === undefined || options.catch.length === 0 ? {} : { Catch: [...options.catch] }),
    ...transition(options.next),
  };
}

/** Where a step's reference lives in the state. */
export function stepResultPath(stepId: string): string {
  return referencePath('$.steps', [stepId]);
}

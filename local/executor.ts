import { ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { withChildExecutions } from './child-executions.js';
import { type DefinitionState, listStates } from './definition-states.js';
import { inlineDistributedMaps } from './distributed-map.js';
import type { ExecuteOptions, ExecutionResult, TaskHandler } from './execution-options.js';
import { checkPayloadLimit, type PayloadLimitError } from './payload-limit.js';

type RunOptions = NonNullable<Parameters<StateMachine['run']>[1]>;
type JsonValue = Parameters<StateMachine['run']>[0];
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/**
 * Definitions asl-validator has accepted, by their JSON. It compiles all its schemas anew on each
 * call (about 200 ms), and the local engine executes the same few definitions over and over.
 */
const VALIDATED = new Set<string>();
const MAX_VALIDATED = 256;

function rememberValidated(text: string): void {
  if (VALIDATED.size >= MAX_VALIDATED) VALIDATED.delete(VALIDATED.values().next().value as string);
  VALIDATED.add(text);
}

/**
 * Runs a JSONPath ASL definition in aws-local-stepfunctions, with every Task served in-process by the
 * handler its `Resource` names and Step Functions' 256 KiB payload limit enforced. Rejects before
 * running when the definition is invalid, uses JSONata or Variables, or has a Task without a handler.
 *
 * @example
 * const result = await executeStateMachine(asl, input, {
 *   taskHandlers: { '${StepRunnerArn}': (event) => handleStepRunnerEvent(event, deps) },
 *   executionName: runId,
 * });
 */
export async function executeStateMachine(
  definition: object,
  input: unknown,
  options: ExecuteOptions,
): Promise<ExecutionResult> {
  options.abortSignal?.throwIfAborted();
  // The interpreter runs Distributed Maps inline: S3 is read and written around them as on AWS.
  const local = inlineDistributedMaps(definition, options);
  const states = listStates(local.definition);
  const text = JSON.stringify(local.definition);
  // A copy, because asl-validator writes `QueryLanguage` into the states it validates. ARN checks stay
  // on: asl-validator accepts `${…}` placeholders only then; with them off, a placeholder matches two
  // branches of its Resource `oneOf` and fails.
  const machine = new StateMachine(
    JSON.parse(text) as ConstructorParameters<typeof StateMachine>[0],
    VALIDATED.has(text) ? { validationOptions: { noValidate: true } } : undefined,
  );
  rememberValidated(text);
  const inputError = checkPayloadLimit(input, 'The execution input');
  if (inputError) throw inputError;

  const execution = machine.run(input as JsonValue, {
    overrides: {
      taskResourceLocalHandlers: bindTaskHandlers(
        states,
        withChildExecutions(local.taskHandlers, options, executeStateMachine),
      ),
      ...(options.retryDelay === 'none' ? zeroDelays(states) : {}),
    },
    context: {
      Execution: {
        Name: options.executionName,
        Id: `arn:aws:states:us-east-1:000000000000:execution:elexirion-local:${options.executionName}`,
      },
    },
  });
  const abort = () => execution.abort();
  options.abortSignal?.addEventListener('abort', abort, { once: true });
  // The first Task handler runs inside run(), so the signal may have fired before the listener existed.
  if (options.abortSignal?.aborted) abort();

  let oversized: PayloadLimitError | undefined;
  const eventsDone = (async () => {
    try {
      for await (const event of execution.eventLogs) {
        // The interpreter has no hook between states, so outputs are checked as their events arrive.
        if (event.type === 'StateExited' && oversized === undefined) {
          oversized = checkPayloadLimit(event.state.output, `The output of state "${event.state.name}"`);
          if (oversized) execution.abort();
        }
        options.onEvent?.(event);
      }
    } catch (error) {
      execution.abort();
      throw error;
    }
  })();

  try {
    const [outcome] = await Promise.allSettled([execution.result]);
    await eventsDone;
    if (oversized) return failure(oversized);
    options.abortSignal?.throwIfAborted();
    if (outcome.status === 'fulfilled') return { status: 'SUCCEEDED', output: outcome.value };
    return failureOf(outcome.reason);
  } finally {
    options.abortSignal?.removeEventListener('abort', abort);
  }
}

/**
 * Maps each Task state's name to the handler of its `Resource`, checking the task's parameters and
 * result against the payload limit before the next state can run.
 */
function bindTaskHandlers(
  states: readonly DefinitionState[],
  taskHandlers: Readonly<Record<string, TaskHandler>>,
): LocalHandlers {
  const bound: LocalHandlers = {};
  for (const { name, state } of states) {
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    const handler = taskHandlers[resource];
    if (handler === undefined) {
      throw new Error(
        `Task state "${name}" has Resource ${resource}, and no task handler is registered for it`,
      );
    }
    bound[name] = async (input) => {
      const inputError = checkPayloadLimit(input, `The input of task state "${name}"`);
      if (inputError) throw inputError;
      const result = await handler(input);
      const resultError = checkPayloadLimit(result, `The result of task state "${name}"`);
      if (resultError) throw resultError;
      return result as JsonValue;
    };
  }
  return bound;
}

/** Overrides that make every Retry interval and every Wait last 0 ms. */
function zeroDelays(states: readonly DefinitionState[]): RunOptions['overrides'] {
  const zeros = Object.fromEntries(states.map(({ name }) => [name, 0]));
  return { retryIntervalOverrides: zeros, waitTimeOverrides: zeros };
}

/** The FAILED result of an execution that rejected. */
function failureOf(reason: unknown): ExecutionResult {
  // ExecutionError wraps the state's error (a handler's own error, or the interpreter's States.* one).
  if (reason instanceof ExecutionError) return failure(reason.cause);
  if (reason instanceof ExecutionTimeoutError) {
    return { status: 'FAILED', error: 'States.Timeout', cause: 'The execution ran past its TimeoutSeconds' };
  }
  throw reason;
}

function failure(error: unknown): ExecutionResult {
  return error instanceof Error
    ? { status: 'FAILED', error: error.name, cause: error.message }
    : { status: 'FAILED', error: 'Error', cause: String(error) };
}

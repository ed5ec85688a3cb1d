import { type AslObject, START_EXECUTION_SYNC } from '../pipelines/contract/spec-bundle.js';
import { listStates } from './definition-states.js';
import type { ExecuteOptions, ExecutionResult, TaskHandler } from './execution-options.js';
import { named } from './local-execution.js';

/** Runs a definition the way `executeStateMachine` does; passed in, so the two modules do not import each other. */
export type Execute = (
  definition: object,
  input: unknown,
  options: ExecuteOptions,
) => Promise<ExecutionResult>;

/** The error a `.sync` Task fails with when its child execution fails, as on AWS. */
class ChildExecutionFailedError extends Error {
  override readonly name = 'States.TaskFailed';
}

/**
 * Adds the handler of `states:startExecution.sync:2` Tasks to `handlers` when the run has child
 * state machines: the child named by `StateMachineArn` (its placeholder, locally) runs in-process with
 * the same task handlers, and the Task's result is what DescribeExecution would report
 * (`Output` parsed, as `.sync:2` gives it). A failed child fails the Task with `States.TaskFailed`,
 * its cause holding the child's error and cause.
 */
export function withChildExecutions(
  handlers: Readonly<Record<string, TaskHandler>>,
  options: ExecuteOptions,
  execute: Execute,
): Readonly<Record<string, TaskHandler>> {
  const children = options.childMachines;
  if (children === undefined || Object.keys(children).length === 0) return handlers;
  let started = 0;
  const startChild: TaskHandler = async (parameters) => {
    const { StateMachineArn: arn, Input: input } = parameters as {
      StateMachineArn?: unknown;
      Input?: unknown;
    };
    const definition = typeof arn === 'string' ? children[arn] : undefined;
    if (definition === undefined) throw new Error(`no child state machine is registered for ${String(arn)}`);
    started += 1;
    const name = `${options.executionName}-child-${started}`;
    const { onEvent: _ignored, ...inherited } = options;
    const result = await execute(definition, input, { ...inherited, executionName: name });
    const identity = {
      ExecutionArn: `arn:aws:states:us-east-1:000000000000:execution:elexirion-local-child:${name}`,
      StateMachineArn: arn,
      Name: name,
    };
    if (result.status === 'SUCCEEDED') return { ...identity, Status: 'SUCCEEDED', Output: result.output };
    throw new ChildExecutionFailedError(
      JSON.stringify({ ...identity, Status: 'FAILED', Error: result.error, Cause: result.cause }),
    );
  };
  return { ...handlers, [START_EXECUTION_SYNC]: startChild };
}

/** Whether `definition` has a `.sync` Task starting a child execution. */
export function startsChildren(definition: AslObject): boolean {
  return listStates(definition).some(({ state }) => state.Resource === START_EXECUTION_SYNC);
}

/**
 * The machines the `.sync` Tasks of `definition` start, and theirs, by ARN, as `machineNamed` finds
 * them: what `childMachines` needs for each child execution to run in-process in its parent's
 * interpreter.
 */
export async function childMachinesOf(
  definition: AslObject,
  machineNamed: (arn: string) => Promise<AslObject | undefined>,
  found: Record<string, AslObject> = {},
): Promise<Record<string, AslObject>> {
  for (const { state } of listStates(definition)) {
    const arn = (state.Parameters as { StateMachineArn?: unknown } | undefined)?.StateMachineArn;
    if (state.Resource !== START_EXECUTION_SYNC || typeof arn !== 'string' || arn in found) continue;
    const child = await machineNamed(arn);
    if (!child)
      throw named(
        'StateMachineDoesNotExist',
        `no state machine ${arn}, which a machine being started starts`,
      );
    found[arn] = child;
    await childMachinesOf(child, machineNamed, found);
  }
  return found;
}

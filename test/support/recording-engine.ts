import {
  type ExecutionDescription,
  type ExecutionEngine,
  executionArnOf,
  type StopReason,
} from '../../functions/ports/execution-engine.js';
import { canonicalJson } from '../../pipelines/canonical-json.js';
import type { AslObject } from '../../pipelines/contract/spec-bundle.js';

/**
 * An execution engine that runs nothing and records every call, for tests of what the control
 * plane asks Step Functions to do. Executions it started describe as RUNNING with their input.
 * Machines are kept by ARN and deployed as the port says Step Functions does: a different machine
 * of an existing name only with `replaces` naming it, else `StateMachineAlreadyExists`.
 */
export class RecordingEngine implements ExecutionEngine {
  readonly deployed: { name: string; definition: AslObject; replaces?: string }[] = [];
  /** Each machine's definition, by ARN. */
  readonly machines = new Map<string, AslObject>();
  readonly started: { stateMachineArn: string; name: string; input: unknown }[] = [];
  readonly stopped: { executionArn: string; reason: StopReason }[] = [];
  readonly redriven: string[] = [];

  async deployStateMachine(name: string, definition: AslObject, replaces?: string): Promise<string> {
    this.deployed.push({ name, definition, ...(replaces === undefined ? {} : { replaces }) });
    const arn = `arn:aws:states:eu-west-1:123456789012:stateMachine:${name}`;
    const existing = this.machines.get(arn);
    if (existing && replaces !== arn && canonicalJson(existing) !== canonicalJson(definition)) {
      throw Object.assign(new Error(`state machine ${name} already exists`), {
        name: 'StateMachineAlreadyExists',
      });
    }
    this.machines.set(arn, definition);
    return arn;
  }

  async startExecution(stateMachineArn: string, name: string, input: unknown): Promise<string> {
    this.started.push({ stateMachineArn, name, input });
    return executionArnOf(stateMachineArn, name);
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    const started = this.started.find((s) => executionArnOf(s.stateMachineArn, s.name) === executionArn);
    if (!started)
      throw Object.assign(new Error(`no execution ${executionArn}`), { name: 'ExecutionDoesNotExist' });
    const { stateMachineArn, name, input } = started;
    return { executionArn, stateMachineArn, name, status: 'RUNNING', input, redriveCount: 0 };
  }

  async stopExecution(executionArn: string, reason: StopReason): Promise<void> {
    this.stopped.push({ executionArn, reason });
  }

  async redriveExecution(executionArn: string): Promise<void> {
    this.redriven.push(executionArn);
  }
}

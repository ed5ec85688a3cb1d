import {
  type ExecutionDescription,
  type ExecutionEngine,
  executionArnOf,
  type StopReason,
} from '../../functions/core/ports/execution-engine.js';
import type { AslObject } from '../../statemachines/types.js';

/**
 * An execution engine that runs nothing and records every call, for tests of what the control
 * plane asks Step Functions to do. Executions it started describe as RUNNING with their input.
 */
export class RecordingEngine implements ExecutionEngine {
  readonly deployed: { name: string; definition: AslObject }[] = [];
  readonly started: { stateMachineArn: string; name: string; input: unknown }[] = [];
  readonly stopped: { executionArn: string; reason: StopReason }[] = [];
  readonly redriven: string[] = [];

  async deployStateMachine(name: string, definition: AslObject): Promise<string> {
    this.deployed.push({ name, definition });
    return `arn:aws:states:eu-west-1:123456789012:stateMachine:${name}`;
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

import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import type { AslObject } from '../../pipelines/contract/spec-bundle.js';
import type { ExecutionDescription, ExecutionEngine, StopReason } from '../ports/execution-engine.js';

/** How state machines are created at run time. */
export interface SfnDeployment {
  /** `arn:aws:states:REGION:ACCOUNT:stateMachine:`: a state machine's ARN is this plus its name. */
  readonly stateMachineArnBase: string;
  /** The role state machines run as; it may invoke the step runner. The caller needs `iam:PassRole` on it. */
  readonly roleArn: string;
  /** Values of the definition's `${…}` placeholders, by name: `{ StepRunnerArn: 'arn:…' }`. */
  readonly substitutions: Readonly<Record<string, string>>;
  /**
   * Log group for execution logs (level ALL, with execution data).
   * @default - no execution logging for state machines created at run time
   */
  readonly logGroupArn?: string;
}

/** Options of {@link SfnExecutionEngine}. */
export interface SfnExecutionEngineOptions {
  readonly client: SFNClient;
  /**
   * What `deployStateMachine` needs.
   * @default - the engine only runs executions; deploying throws
   */
  readonly deployment?: SfnDeployment;
}

/**
 * The execution engine on AWS Step Functions, through `@aws-sdk/client-sfn`. Machines are Standard,
 * with X-Ray tracing; names are given by the caller, ARNs derived from `stateMachineArnBase`.
 * SDK errors propagate with Step Functions' names (`ExecutionDoesNotExist`, …).
 *
 * @example
 * const engine = new SfnExecutionEngine({ client: new SFNClient({}), deployment: { stateMachineArnBase,
 *   roleArn, substitutions: { StepRunnerArn: stepRunnerArn } } });
 */
export class SfnExecutionEngine implements ExecutionEngine {
  constructor(private readonly options: SfnExecutionEngineOptions) {}

  async deployStateMachine(name: string, definition: AslObject, replaces?: string): Promise<string> {
    const { client, deployment } = this.options;
    if (!deployment)
      throw new Error('this engine was built without a deployment and cannot create state machines');
    const { roleArn, logGroupArn } = deployment;
    const settings = {
      definition: substitute(definition, deployment.substitutions),
      roleArn,
      tracingConfiguration: { enabled: true },
      ...(logGroupArn === undefined
        ? {}
        : {
            loggingConfiguration: {
              level: 'ALL' as const,
              includeExecutionData: true,
              destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }],
            },
          }),
    };
    const stateMachineArn = `${deployment.stateMachineArnBase}${name}`;
    try {
      const created = await client.send(
        new CreateStateMachineCommand({ name, type: 'STANDARD', ...settings }),
      );
      if (created.stateMachineArn === undefined)
        throw new Error(`CreateStateMachine ${name} returned no ARN`);
      return created.stateMachineArn;
    } catch (error) {
      // Create is idempotent for an identical machine; a changed one exists already, and is
      // updated only when the caller names it as the machine it created.
      const exists = error instanceof Error && error.name === 'StateMachineAlreadyExists';
      if (!exists || replaces !== stateMachineArn) throw error;
    }
    await client.send(new UpdateStateMachineCommand({ stateMachineArn, ...settings }));
    return stateMachineArn;
  }

  async startExecution(stateMachineArn: string, name: string, input: unknown): Promise<string> {
    const started = await this.options.client.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    if (started.executionArn === undefined) throw new Error(`StartExecution ${name} returned no ARN`);
    return started.executionArn;
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    const execution = await this.options.client.send(new DescribeExecutionCommand({ executionArn }));
    return {
      executionArn,
      stateMachineArn: execution.stateMachineArn ?? '',
      name: execution.name ?? '',
      status: execution.status ?? 'RUNNING',
      input: execution.input === undefined ? undefined : JSON.parse(execution.input),
      redriveCount: execution.redriveCount ?? 0,
      ...(execution.error === undefined ? {} : { error: execution.error }),
      ...(execution.cause === undefined ? {} : { cause: execution.cause }),
    };
  }

  async stopExecution(executionArn: string, reason: StopReason): Promise<void> {
    await this.options.client.send(new StopExecutionCommand({ executionArn, ...reason }));
  }

  async redriveExecution(executionArn: string): Promise<void> {
    await this.options.client.send(new RedriveExecutionCommand({ executionArn }));
  }
}

/** The definition as JSON with every `${Name}` placeholder replaced, as CDK's definitionSubstitutions do. */
function substitute(definition: AslObject, substitutions: Readonly<Record<string, string>>): string {
  return JSON.stringify(definition).replace(/\$\{([A-Za-z0-9_]+)\}/g, (placeholder, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`no substitution for the placeholder ${placeholder}`);
    return value;
  });
}

import { Arn, ArnFormat, type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { childStateMachineName, shippedStateMachineName } from '../../functions/runs/state-machine-names.js';
import { type AslObject, Placeholder, RUN_TASK_SYNC } from '../../pipelines/contract/spec-bundle.js';
import type { CompiledPipeline } from '../compiled-pipelines.js';
import { acknowledge, nagArnOf, XRAY_WILDCARD_REASON } from '../nag.js';
import type { TestRunner } from './test-runner.js';

/** Props of {@link PipelineStateMachine}. */
export interface PipelineStateMachineProps {
  /** The tenant that owns it; part of its name. */
  readonly tenantId: string;
  /** The compiled pipeline; its ASL is deployed as it is, placeholders filled by substitution. */
  readonly pipeline: CompiledPipeline;
  /** The function every step-runner Task calls (`${StepRunnerArn}`). */
  readonly stepRunner: lambda.IFunction;
  /** Where `type: test` steps run (`ecs:runTask.sync`); needed when the pipeline has one. */
  readonly testRunner?: TestRunner;
  /**
   * How long execution logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The rule Step Functions manages in the account to learn when a `.sync` Task's child execution ends. */
const SYNC_EVENTS_RULE = 'StepFunctionsGetEventsForStepFunctionsExecutionRule';

/**
 * One compiled pipeline as a Standard state machine, named `elexirion-<tenant>_stack_<pipeline>`. The
 * definition is the compiler's ASL verbatim (`DefinitionBody.fromString`), never rebuilt in CDK;
 * `definitionSubstitutions` fill its `${…}` placeholders. Logs every event with execution data,
 * traces with X-Ray, and alarms on any failed execution.
 *
 * Each nested pipeline that runs as a child execution (`type: pipeline` without `config.inline`)
 * gets a Standard state machine of its own beside it, at every level of nesting, named
 * `elexirion-<tenant>_child_<pipeline>-<scope>` (see `childStateMachineName`), logged and traced
 * alike, with a role of its own that may call the step runner. A machine's `${ChildStateMachine_…}`
 * placeholders are filled with its children's ARNs, and its role may start exactly those machines,
 * follow and stop their executions, and keep the `.sync` events rule. A child has no alarm: its
 * failure fails its parent's Task, and so its parent.
 *
 * A machine whose definition runs `type: test` steps fills their placeholders with the tenant's
 * test runner and may run its task (`TestRunner.grantRunTask`).
 *
 * @example
 * const machine = new PipelineStateMachine(this, 'chain', { tenantId: 'acme', pipeline, stepRunner });
 * machine.grantStartExecution(trigger);
 */
export class PipelineStateMachine extends Construct {
  /** The state machine. */
  readonly stateMachine: sfn.StateMachine;
  /** The state machines of its nested pipelines run as child executions, by scope (`summary`). */
  readonly children: ReadonlyMap<string, sfn.StateMachine>;
  /** The pipeline it runs. */
  readonly pipeline: CompiledPipeline;
  /** In alarm when an execution failed in the last five minutes. */
  readonly failedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    this.pipeline = props.pipeline;
    const { tenantId, pipeline, stepRunner } = props;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    // Deepest first: a machine starts only machines nested below it (longer scopes), so those exist
    // when it is made, and its definition's Refs to them have CloudFormation create them first.
    const made = new Map<string, StartedMachine>();
    const children = new Map<string, sfn.StateMachine>();
    const deepestFirst = [...pipeline.children].sort((a, b) => depthOf(b.scope) - depthOf(a.scope));
    for (const child of deepestFirst) {
      const name = childStateMachineName(tenantId, pipeline.name, child.scope);
      const machine = deployStateMachine(new Construct(this, `Child-${child.scope}`), {
        name,
        definition: child.definition,
        stepRunner,
        logRetention,
        children: made,
        ...(props.testRunner ? { testRunner: props.testRunner } : {}),
      });
      made.set(child.placeholder, { machine, name });
      children.set(child.scope, machine);
    }
    this.children = children;
    this.stateMachine = deployStateMachine(this, {
      name: shippedStateMachineName(tenantId, pipeline.name),
      definition: pipeline.asl,
      stepRunner,
      logRetention,
      children: made,
      ...(props.testRunner ? { testRunner: props.testRunner } : {}),
    });
    this.failedAlarm = this.stateMachine
      .metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM })
      .createAlarm(this, 'FailedAlarm', {
        alarmDescription: `An execution of pipeline ${props.pipeline.name} (tenant ${props.tenantId}) failed`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
  }

  /** Lets `grantee` start runs of this pipeline. */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** Lets `grantee` follow and steer this pipeline's runs: describe, read history, stop, redrive. */
  grantManageExecutions(grantee: iam.IGrantable): iam.Grant {
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      const name = `<${Stack.of(this).getLogicalId(this.stateMachine.node.defaultChild as CfnElement)}.Name>`;
      acknowledge(
        principal,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}:*]`,
        `Execution names are run ids made at run time; the wildcard covers only the executions of ` +
          `${this.stateMachine.node.path}, one of this tenant's own state machines.`,
      );
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'states:DescribeExecution',
        'states:GetExecutionHistory',
        'states:StopExecution',
        'states:RedriveExecution',
      ],
      resourceArns: [this.executionArnPattern()],
    });
  }

  /** `arn:…:execution:<name>:*`: every execution of this state machine, and of no other. */
  private executionArnPattern(): string {
    return Arn.format(
      {
        service: 'states',
        resource: 'execution',
        resourceName: `${this.stateMachine.stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(this),
    );
  }
}

/** A child state machine made before the machines that start it, and its name. */
interface StartedMachine {
  readonly machine: sfn.StateMachine;
  readonly name: string;
}

/** What {@link deployStateMachine} makes one state machine from. */
interface MachineProps {
  readonly name: string;
  readonly definition: AslObject;
  readonly stepRunner: lambda.IFunction;
  readonly logRetention: logs.RetentionDays;
  /** The child machines made so far, by placeholder; the definition starts some of them, or none. */
  readonly children: ReadonlyMap<string, StartedMachine>;
  readonly testRunner?: TestRunner;
}

/**
 * A Standard state machine running `definition` as it is, in `scope` (its `Logs` and `StateMachine`):
 * every event logged with execution data, traced, with a role that may call the step runner and
 * start, follow and stop the children its definition names.
 */
function deployStateMachine(scope: Construct, props: MachineProps): sfn.StateMachine {
  const { name, stepRunner } = props;
  const definition = JSON.stringify(props.definition);
  const started = [...props.children].filter(([placeholder]) => definition.includes(placeholder));
  // Without a test runner, a test step's placeholders stay unfilled and checkPlaceholders says so.
  const tests = definition.includes(RUN_TASK_SYNC) ? props.testRunner : undefined;
  const definitionSubstitutions = {
    [placeholderName(Placeholder.StepRunner)]: stepRunner.functionArn,
    ...Object.fromEntries(
      started.map(([placeholder, { machine }]) => [placeholderName(placeholder), machine.stateMachineArn]),
    ),
    ...tests?.substitutions(),
  };
  checkPlaceholders(definition, definitionSubstitutions, scope);

  const logGroup = new logs.LogGroup(scope, 'Logs', {
    // The vendedlogs prefix keeps Step Functions from growing the account's log resource policy.
    logGroupName: `/aws/vendedlogs/states/${name}`,
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: name,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromString(definition),
    definitionSubstitutions,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    tracingEnabled: true,
  });
  stepRunner.grantInvoke(stateMachine);
  const role = stateMachine.role;
  acknowledge(
    role,
    `AwsSolutions-IAM5[Resource::${nagArnOf(stepRunner.node.defaultChild as CfnElement)}:*]`,
    'grantInvoke also names the versions and aliases (ARN suffix :*) of this tenant’s own step runner, ' +
      'the only function the compiled ASL calls.',
  );
  acknowledge(
    role,
    'AwsSolutions-IAM5[Resource::*]',
    `${XRAY_WILDCARD_REASON} The same holds for the CloudWatch Logs delivery actions (logs:CreateLogDelivery ` +
      'and the rest) Step Functions needs to log executions to this machine’s log group.',
  );
  const children = started.map(([, child]) => child);
  if (children.length > 0) grantStartChildren(stateMachine, children);
  tests?.grantRunTask(stateMachine);
  return stateMachine;
}

/**
 * What a `states:startExecution.sync:2` Task needs of its role: start exactly these machines,
 * describe and stop their executions (to wait for them, and to stop them when the parent stops),
 * and put and describe the rule Step Functions manages to hear of their ends.
 */
function grantStartChildren(parent: sfn.StateMachine, children: readonly StartedMachine[]): void {
  const stack = Stack.of(parent);
  parent.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['states:StartExecution'],
      resources: children.map(({ machine }) => machine.stateMachineArn),
    }),
  );
  const executions = children.map(({ name }) =>
    stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${name}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
  parent.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: executions,
    }),
  );
  parent.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: SYNC_EVENTS_RULE })],
    }),
  );
  for (const { name } of children) {
    acknowledge(
      parent.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}:*]`,
      `A child execution's name is made by Step Functions when the parent's .sync Task starts it; the wildcard ` +
        `covers only the executions of ${name}, this tenant's own child state machine, which the parent ` +
        'waits for and stops.',
    );
  }
}

/** How deep a scope is nested: `summary` 1, `summary.inner` 2. */
function depthOf(scope: string): number {
  return scope.split('.').length;
}

/** `${StepRunnerArn}` → `StepRunnerArn`: the key `definitionSubstitutions` fills it under. */
function placeholderName(placeholder: string): string {
  return placeholder.slice(2, -1);
}

/** Fails the synth when the ASL holds a placeholder nothing fills: it would deploy and then fail at run time. */
function checkPlaceholders(
  definition: string,
  substitutions: Record<string, string>,
  scope: Construct,
): void {
  const unfilled = [...definition.matchAll(/\$\{([^}]+)\}/g)]
    .map((match) => match[1] as string)
    .filter((name) => !(name in substitutions));
  if (unfilled.length > 0) {
    throw new Error(
      `${scope.node.path}: the compiled ASL uses placeholders with no substitution: ${[...new Set(unfilled)].join(', ')}`,
    );
  }
}

import { Arn, ArnFormat, type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { registeredStateMachineName } from '../../functions/runs/state-machine-names.js';
import { acknowledge, nagArnOf, XRAY_WILDCARD_REASON } from '../nag.js';

/** Props of {@link RegisteredPipelines}. */
export interface RegisteredPipelinesProps {
  /** The tenant registering pipelines; the machines are named `elexirion-<tenant>_api_<pipeline>`. */
  readonly tenantId: string;
  /** The function their step-runner Tasks call. */
  readonly stepRunner: lambda.IFunction;
  /**
   * How long their execution logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Actions on CloudWatch Logs deliveries, which have no resource-level permissions. */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * What state machines registered at run time (`PUT /v1/pipelines/{name}`) need, since the stack
 * cannot create them itself: the role they run as (it may invoke only this tenant's step runner),
 * the log group their executions log to, and grants fenced to the `elexirion-<tenant>_api_` name
 * prefix, so a registration can never touch a machine the stack owns or another tenant's.
 *
 * @example
 * const registered = new RegisteredPipelines(this, 'Registered', { tenantId: 'acme', stepRunner });
 * registered.grantRegister(api);
 */
export class RegisteredPipelines extends Construct {
  /** The role registered state machines run as. */
  readonly role: iam.Role;
  /** Where their executions log (level ALL). */
  readonly logGroup: logs.LogGroup;
  /** `elexirion-<tenant>_api_`: the name every registered machine starts with. */
  readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: RegisteredPipelinesProps) {
    super(scope, id);
    this.namePrefix = registeredStateMachineName(props.tenantId, '');
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${this.namePrefix.slice(0, -1)}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `Runs the pipelines tenant ${props.tenantId} registers through its run API`,
    });
    props.stepRunner.grantInvoke(this.role);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          ...LOG_DELIVERY_ACTIONS,
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
        ],
        resources: ['*'],
      }),
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::${nagArnOf(props.stepRunner.node.defaultChild as CfnElement)}:*]`,
      'grantInvoke also names the versions and aliases (ARN suffix :*) of this tenant’s own step runner, ' +
        'the only function a registered pipeline’s ASL calls.',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      `${XRAY_WILDCARD_REASON} The same holds for the CloudWatch Logs delivery actions registered machines ` +
        'need to log their executions.',
    );
  }

  /**
   * Lets `grantee` create and update the tenant's registered state machines, passing them
   * {@link role} and logging them to {@link logGroup}.
   */
  grantRegister(grantee: iam.IGrantable): iam.Grant {
    const machines = iam.Grant.addToPrincipal({
      grantee,
      actions: ['states:CreateStateMachine', 'states:UpdateStateMachine'],
      resourceArns: [this.arnPattern('stateMachine', `${this.namePrefix}*`)],
    });
    const passRole = iam.Grant.addToPrincipal({
      grantee,
      actions: ['iam:PassRole'],
      resourceArns: [this.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } },
    });
    // Whoever creates a machine with a logging configuration needs the delivery actions too.
    const delivery = iam.Grant.addToPrincipal({
      grantee,
      actions: LOG_DELIVERY_ACTIONS,
      resourceArns: ['*'],
    });
    this.acknowledgeOn(
      grantee,
      'Resource::*',
      `${XRAY_WILDCARD_REASON} Registering a pipeline also creates a state machine with logging, which requires ` +
        'of the caller the CloudWatch Logs delivery actions (logs:CreateLogDelivery and the rest): none of them ' +
        'has resource-level permissions either.',
    );
    this.acknowledgeMachines(grantee);
    return machines.combine(passRole).combine(delivery);
  }

  /** Lets `grantee` start, follow and steer runs of the tenant's registered pipelines. */
  grantRun(grantee: iam.IGrantable): iam.Grant {
    const start = iam.Grant.addToPrincipal({
      grantee,
      actions: ['states:StartExecution'],
      resourceArns: [this.arnPattern('stateMachine', `${this.namePrefix}*`)],
    });
    const manage = iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'states:DescribeExecution',
        'states:GetExecutionHistory',
        'states:StopExecution',
        'states:RedriveExecution',
      ],
      resourceArns: [this.arnPattern('execution', `${this.namePrefix}*`)],
    });
    this.acknowledgeMachines(grantee);
    this.acknowledgeOn(
      grantee,
      `Resource::${this.nagArnPattern('execution', `${this.namePrefix}*`)}`,
      `Executions of the tenant’s registered pipelines (names starting ${this.namePrefix}), named by run ids made at run time.`,
    );
    return start.combine(manage);
  }

  /** `arn:…:stateMachine:elexirion-<tenant>_api_`: the ARN every registered machine's starts with. */
  stateMachineArnPrefix(): string {
    return this.arnPattern('stateMachine', this.namePrefix);
  }

  /** `arn:…:states:…:<kind>:<name>`, with `:*` added for executions (any execution of those machines). */
  private arnPattern(kind: 'stateMachine' | 'execution', name: string): string {
    return Arn.format(
      {
        service: 'states',
        resource: kind,
        resourceName: kind === 'execution' ? `${name}:*` : name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(this),
    );
  }

  /** The same ARN as cdk-nag spells it in a finding id. */
  private nagArnPattern(kind: 'stateMachine' | 'execution', name: string): string {
    const suffix = kind === 'execution' ? `${name}:*` : name;
    return `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${kind}:${suffix}`;
  }

  private acknowledgeMachines(grantee: iam.IGrantable): void {
    this.acknowledgeOn(
      grantee,
      `Resource::${this.nagArnPattern('stateMachine', `${this.namePrefix}*`)}`,
      `Registered pipelines are named at run time; the wildcard covers only names starting ${this.namePrefix}, ` +
        'which no machine of the stack and no other tenant uses.',
    );
  }

  private acknowledgeOn(grantee: iam.IGrantable, finding: string, reason: string): void {
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) acknowledge(principal, `AwsSolutions-IAM5[${finding}]`, reason);
  }
}

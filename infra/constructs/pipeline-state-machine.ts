import { Arn, ArnFormat, type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { shippedStateMachineName } from '../../functions/core/state-machine-names.js';
import { Placeholder } from '../../statemachines/types.js';
import type { CompiledPipeline } from '../compiled-pipelines.js';
import { acknowledge, nagArnOf, XRAY_WILDCARD_REASON } from '../nag.js';

/** Step Functions' limit on a state machine name. */
const MAX_NAME_LENGTH = 80;

/** Props of {@link PipelineStateMachine}. */
export interface PipelineStateMachineProps {
  /** The tenant that owns it; part of its name. */
  readonly tenantId: string;
  /** The compiled pipeline; its ASL is deployed as it is, placeholders filled by substitution. */
  readonly pipeline: CompiledPipeline;
  /** The function every step-runner Task calls (`${StepRunnerArn}`). */
  readonly stepRunner: lambda.IFunction;
  /**
   * How long execution logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One compiled pipeline as a Standard state machine, named `elexirion-<tenant>-<pipeline>`. The
 * definition is the compiler's ASL verbatim (`DefinitionBody.fromString`), never rebuilt in CDK;
 * `definitionSubstitutions` fill its `${…}` placeholders. Logs every event with execution data,
 * traces with X-Ray, and alarms on any failed execution.
 *
 * @example
 * const machine = new PipelineStateMachine(this, 'chain', { tenantId: 'acme', pipeline, stepRunner });
 * machine.grantStartExecution(trigger);
 */
export class PipelineStateMachine extends Construct {
  /** The state machine. */
  readonly stateMachine: sfn.StateMachine;
  /** The pipeline it runs. */
  readonly pipeline: CompiledPipeline;
  /** In alarm when an execution failed in the last five minutes. */
  readonly failedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    this.pipeline = props.pipeline;
    const name = shippedStateMachineName(props.tenantId, props.pipeline.name);
    if (name.length > MAX_NAME_LENGTH) {
      throw new Error(
        `${this.node.path}: state machine name "${name}" is ${name.length} characters; Step Functions allows ${MAX_NAME_LENGTH} — shorten the pipeline or tenant name`,
      );
    }
    const definition = JSON.stringify(props.pipeline.asl);
    const definitionSubstitutions = {
      [placeholderName(Placeholder.StepRunner)]: props.stepRunner.functionArn,
    };
    checkPlaceholders(definition, definitionSubstitutions, this);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps Step Functions from growing the account's log resource policy.
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    props.stepRunner.grantInvoke(this.stateMachine);
    const role = this.stateMachine.role;
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::${nagArnOf(props.stepRunner.node.defaultChild as CfnElement)}:*]`,
      'grantInvoke also names the versions and aliases (ARN suffix :*) of this tenant’s own step runner, ' +
        'the only function the compiled ASL calls.',
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      `${XRAY_WILDCARD_REASON} The same holds for the CloudWatch Logs delivery actions (logs:CreateLogDelivery ` +
        'and the rest) Step Functions needs to log executions to this machine’s log group.',
    );
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

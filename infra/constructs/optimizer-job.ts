import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { arm64FargateTask } from './fargate-task.js';

/** Props of {@link OptimizerJob}. */
export interface OptimizerJobProps {
  /** The tenant whose prompts it optimizes. */
  readonly tenantId: string;
  /** The optimizer image, e.g. `ecs.ContainerImage.fromAsset('optimizer')`. */
  readonly image: ecs.ContainerImage;
  /** Configuration of the job (bucket, tables, tenant). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * When it runs.
   * @default - every day at 03:00 UTC
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * CPU units of the task (1024 = one vCPU).
   * @default 1024
   */
  readonly cpu?: number;
  /**
   * Memory of the task in MiB.
   * @default 2048
   */
  readonly memoryLimitMiB?: number;
}

/**
 * The scheduled DSPy compile job of one tenant: an EventBridge Scheduler schedule that runs the
 * optimizer image as a Fargate task (ARM64) in a VPC of public subnets with no NAT gateway, so the
 * idle job costs nothing; the task gets a public address to reach the LLM providers.
 *
 * @example
 * const job = new OptimizerJob(this, 'Optimizer', {
 *   tenantId: 'acme', image: ecs.ContainerImage.fromAsset('optimizer'), environment: { TENANT_ID: 'acme' },
 * });
 * bucket.grantTenantReadWrite(job.taskDefinition.taskRole);
 */
export class OptimizerJob extends Construct {
  /** The task definition; grant its `taskRole` what the job reads and writes. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The schedule. */
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: OptimizerJobProps) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
      flowLogs: { rejected: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    const { cluster, taskDefinition, logGroup } = arm64FargateTask(this, vpc, {
      cpu: props.cpu ?? 1024,
      memoryLimitMiB: props.memoryLimitMiB ?? 2048,
    });
    this.taskDefinition = taskDefinition;
    this.taskDefinition.addContainer('optimizer', {
      image: props.image,
      environment: { ...props.environment, TENANT_ID: props.tenantId },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'optimizer' }),
    });
    const securityGroup = new ec2.SecurityGroup(this, 'Egress', {
      vpc,
      description: 'Optimizer task: no inbound traffic, outbound to AWS APIs and the LLM providers',
      allowAllOutbound: true,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Compiles better prompt packs for tenant ${props.tenantId}`,
      schedule: props.schedule ?? scheduler.ScheduleExpression.cron({ hour: '3', minute: '0' }),
      target: new schedulerTargets.EcsRunFargateTask(cluster, {
        taskDefinition: this.taskDefinition,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        securityGroups: [securityGroup],
        assignPublicIp: true,
      }),
    });
    acknowledge(
      this.taskDefinition,
      'AwsSolutions-IAM5[Resource::*]',
      'The task execution role pulls the optimizer image: ecr:GetAuthorizationToken has no resource-level ' +
        'permissions, so `*` is the only resource IAM accepts; the pull itself is scoped to the image repository.',
    );
    acknowledge(
      this.taskDefinition,
      'AwsSolutions-ECS2',
      'The container’s environment holds only resource names (bucket, tables, tenant id), no secrets.',
    );
  }
}

import { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** What {@link arm64FargateTask} makes: a cluster in the VPC, an ARM64 task definition and its log group. */
export interface Arm64FargateTask {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly logGroup: logs.LogGroup;
}

/**
 * The Fargate pieces the optimizer job and the test runner share: a cluster with Container Insights,
 * an ARM64 Linux task definition (Graviton: cheaper per vCPU) and a log group kept a month, as
 * children `Cluster`, `Task` and `Logs` of `scope`.
 */
export function arm64FargateTask(
  scope: Construct,
  vpc: ec2.IVpc,
  size: { readonly cpu: number; readonly memoryLimitMiB: number },
): Arm64FargateTask {
  const cluster = new ecs.Cluster(scope, 'Cluster', {
    vpc,
    containerInsightsV2: ecs.ContainerInsights.ENABLED,
  });
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'Task', {
    ...size,
    runtimePlatform: {
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    },
  });
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return { cluster, taskDefinition, logGroup };
}

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArnFormat, type CfnElement, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { TestRunnerContainer, TestRunnerPlaceholder } from '../../pipelines/contract/spec-bundle.js';
import { acknowledge, nagArnOf } from '../nag.js';
import type { ArtifactBucket } from './artifact-bucket.js';
import { arm64FargateTask } from './fargate-task.js';
import { REPO_ROOT } from './handler-function.js';

/** The base image of a tenant that names none: Node 22, whose npm runs `npm test`. */
const DEFAULT_TEST_RUNNER_BASE_IMAGE = 'public.ecr.aws/docker/library/node:22-bookworm-slim';

/** The container's entry point, bundled into the image, and the folder holding the image's Dockerfile. */
const ENTRY = 'functions/handlers/test-runner.ts';
const IMAGE_DIR = 'test-runner';

/** The rule Step Functions manages in the account to learn when a `.sync` Task's ECS task stops. */
const SYNC_EVENTS_RULE = 'StepFunctionsGetEventsForECSTaskRule';

/** Props of {@link TestRunner}. */
export interface TestRunnerProps {
  /** The tenant whose test steps it runs; its role is fenced to this tenant's keys. */
  readonly tenantId: string;
  readonly artifacts: ArtifactBucket;
  /**
   * The image the tests run on, with their toolchain (`test_runner_image` in `infra/tenants.yaml`);
   * the entry point is added to it (see {@link testRunnerImage}).
   * @default DEFAULT_TEST_RUNNER_BASE_IMAGE
   */
  readonly baseImage?: string;
  /**
   * CPU units of a task (1024 = one vCPU).
   * @default 2048
   */
  readonly cpu?: number;
  /**
   * Memory of a task in MiB.
   * @default 4096
   */
  readonly memoryLimitMiB?: number;
}

/**
 * Where a tenant's `type: test` steps run in AWS: a Fargate task definition (ARM64) that the
 * compiled `ecs:runTask.sync` Task starts once per test step, in a VPC of isolated subnets with no
 * NAT gateway, so the code under test reaches no internet. An S3 gateway endpoint and interface
 * endpoints for ECR and CloudWatch Logs are all the task can reach: its image, its log group and
 * the tenant's prefix of the bucket (the gateway's policy lets nothing else through). The task role may read only the tenant's workspaces, spec bundles and runs and write
 * only under its runs, where the outcome and log go; it holds no provider key.
 *
 * The state machines fill their test-runner placeholders with {@link substitutions} and get
 * {@link grantRunTask}.
 *
 * @example
 * const tests = new TestRunner(this, 'TestRunner', { tenantId: 'acme', artifacts });
 * new PipelineStateMachine(this, 'Pipeline-ci', { tenantId: 'acme', pipeline, stepRunner, testRunner: tests });
 */
export class TestRunner extends Construct {
  private readonly taskDefinition: ecs.FargateTaskDefinition;
  private readonly cluster: ecs.Cluster;
  private readonly vpc: ec2.Vpc;
  private readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: TestRunnerProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      flowLogs: { rejected: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    this.allowS3Through(props.artifacts);
    // Outbound to anything is outbound to the endpoints only: the subnets have no route elsewhere.
    this.securityGroup = new ec2.SecurityGroup(this, 'Tasks', {
      vpc: this.vpc,
      description: 'Test-runner tasks: no inbound traffic; outbound reaches only the VPC endpoints',
      allowAllOutbound: true,
    });
    const endpoints = new ec2.SecurityGroup(this, 'Endpoints', {
      vpc: this.vpc,
      description: 'The VPC endpoints of the test-runner tasks: HTTPS from those tasks only',
      allowAllOutbound: false,
    });
    endpoints.addIngressRule(this.securityGroup, ec2.Port.tcp(443), 'HTTPS from the test-runner tasks');
    // What Fargate needs to start a task without internet: the image (ECR's API and registry, its
    // layers in S3) and the log driver's endpoint.
    for (const [name, service] of [
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
    ] as const) {
      this.vpc.addInterfaceEndpoint(name, { service, securityGroups: [endpoints], open: false });
    }
    const { cluster, taskDefinition, logGroup } = arm64FargateTask(this, this.vpc, {
      cpu: props.cpu ?? 2048,
      memoryLimitMiB: props.memoryLimitMiB ?? 4096,
    });
    this.cluster = cluster;
    this.taskDefinition = taskDefinition;
    this.taskDefinition.addContainer(TestRunnerContainer.name, {
      containerName: TestRunnerContainer.name,
      image: testRunnerImage(this, props.baseImage ?? DEFAULT_TEST_RUNNER_BASE_IMAGE),
      environment: { TENANT_ID: props.tenantId, ARTIFACT_BUCKET: props.artifacts.bucket.bucketName },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'test-runner' }),
    });
    this.grantTaskRole(props.artifacts);
    acknowledge(
      this.taskDefinition,
      'AwsSolutions-IAM5[Resource::*]',
      'The task execution role pulls the test-runner image: ecr:GetAuthorizationToken has no resource-level ' +
        'permissions, so `*` is the only resource IAM accepts; the pull itself is scoped to the image repository.',
    );
    acknowledge(
      this.taskDefinition,
      'AwsSolutions-ECS2',
      'The container’s environment holds only the tenant id and its bucket name, no secrets; the request of ' +
        'each run comes from the state machine’s container override.',
    );
  }

  /** What fills the test-runner placeholders of a compiled definition (`definitionSubstitutions`). */
  substitutions(): Record<string, string> {
    const subnets = this.vpc.isolatedSubnets.map((subnet) => subnet.subnetId);
    if (subnets.length !== TestRunnerPlaceholder.Subnets.length) {
      throw new Error(
        `${this.node.path}: the test-runner VPC has ${subnets.length} subnets, not one per placeholder`,
      );
    }
    return {
      [placeholderName(TestRunnerPlaceholder.Cluster)]: this.cluster.clusterArn,
      [placeholderName(TestRunnerPlaceholder.TaskDefinition)]: this.taskDefinition.taskDefinitionArn,
      [placeholderName(TestRunnerPlaceholder.SecurityGroup)]: this.securityGroup.securityGroupId,
      ...Object.fromEntries(
        TestRunnerPlaceholder.Subnets.map((placeholder, index) => [
          placeholderName(placeholder),
          subnets[index] as string,
        ]),
      ),
    };
  }

  /**
   * What an `ecs:runTask.sync` Task needs of a state machine's role: run this task definition in
   * this cluster, pass it its two roles, follow and stop its tasks, and keep the rule Step
   * Functions manages to hear when a task stops.
   */
  grantRunTask(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecs:RunTask'],
      resourceArns: [this.taskDefinition.taskDefinitionArn],
      conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
    });
    const tasks = stack.formatArn({
      service: 'ecs',
      resource: 'task',
      resourceName: `${this.cluster.clusterName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
      resourceArns: [tasks],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['iam:PassRole'],
      resourceArns: [this.taskDefinition.taskRole.roleArn, this.taskDefinition.obtainExecutionRole().roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resourceArns: [
        stack.formatArn({ service: 'events', resource: 'rule', resourceName: SYNC_EVENTS_RULE }),
      ],
    });
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      const cluster = `<${stack.getLogicalId(this.cluster.node.defaultChild as CfnElement)}>`;
      acknowledge(
        principal,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/${cluster}/*]`,
        'Task ids are made by ECS when a test step starts one; the wildcard covers only the tasks of this ' +
          'tenant’s own test-runner cluster, which the state machine waits for and stops.',
      );
    }
  }

  /**
   * The S3 gateway endpoint, whose policy lets through only the tenant's prefix of its bucket and
   * the image layers ECR serves from S3: code under test cannot send data to a bucket of its own.
   */
  private allowS3Through(artifacts: ArtifactBucket): void {
    const gateway = this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const { bucket, tenantPrefix } = artifacts;
    gateway.addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
        resources: [bucket.bucketArn, bucket.arnForObjects(`${tenantPrefix}*`)],
      }),
    );
    const { partition, region } = Stack.of(this);
    gateway.addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [`arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`],
      }),
    );
  }

  /**
   * The task role: read the run's workspace (its snapshot and blobs), its spec bundle and the run's
   * change set; write the outcome and log under the run. Listing, fenced to the same prefixes, turns
   * a missing key into a 404 (a run with no change set yet) rather than a 403.
   */
  private grantTaskRole(artifacts: ArtifactBucket): void {
    const { bucket, tenantPrefix } = artifacts;
    const read = ['workspaces/', 'specs/', 'runs/'].map((folder) => `${tenantPrefix}${folder}`);
    const runs = `${tenantPrefix}runs/`;
    const role = this.taskDefinition.taskRole;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: read.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${runs}*`)] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': read.map((prefix) => `${prefix}*`) } },
      }),
    );
    for (const prefix of read) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::${nagArnOf(bucket.node.defaultChild as CfnElement)}/${prefix}*]`,
        `Workspace, spec and run keys are content hashes and run ids made at run time; the wildcard stays in ` +
          `${prefix} of this tenant’s own bucket, the test runner’s least privilege.`,
      );
    }
  }
}

/**
 * The test-runner image from `test-runner/Dockerfile` on `baseImage`, built for ARM64 at deploy
 * time. Its entry point is bundled here at synth time with the project's own esbuild, as the Lambda
 * handlers are, unless the stack skips bundling (tests): synth needs no Docker either way.
 */
function testRunnerImage(scope: Construct, baseImage: string): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(stagedImageDir(Stack.of(scope).bundlingRequired), {
    buildArgs: { BASE_IMAGE: baseImage },
    platform: Platform.LINUX_ARM64,
  });
}

/** The build context, staged once per process: the Dockerfile, and the bundle when bundling. */
const staged = new Map<boolean, string>();

function stagedImageDir(bundle: boolean): string {
  const known = staged.get(bundle);
  if (known !== undefined) return known;
  const dir = mkdtempSync(join(tmpdir(), 'elexirion-test-runner-image-'));
  // Asset staging copies the folder into the cloud assembly as the stack is built; then it is litter.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(REPO_ROOT, IMAGE_DIR, 'Dockerfile'), join(dir, 'Dockerfile'));
  if (bundle) {
    buildSync({
      entryPoints: [join(REPO_ROOT, ENTRY)],
      outfile: join(dir, 'test-runner.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      sourcemap: true,
      // Some bundled CommonJS dependencies call `require` for Node built-ins.
      banner: {
        js: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
  }
  staged.set(bundle, dir);
  return dir;
}

/** `${TestRunnerCluster}` → `TestRunnerCluster`: the key `definitionSubstitutions` fills it under. */
function placeholderName(placeholder: string): string {
  return placeholder.slice(2, -1);
}

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTenantPipelines } from '../../infra/compiled-pipelines.js';
import type { TenantConfig } from '../../infra/tenant-config.js';
import { TenantStack, tenantStackName } from '../../infra/tenant-stack.js';
import { buildTenantApp, SYNTH_TIMEOUT_MS, shippedTenants } from './support/tenant-app.js';
import { ciTenant, testStepPipelines } from './support/test-step-tenants.js';

const PYTHON = 'public.ecr.aws/docker/library/python:3.12-slim';

/** Resources of `type` whose logical id starts with `prefix`. */
function resourcesOf(template: Template, type: string, prefix: string): Record<string, unknown>[] {
  return Object.entries(template.findResources(type))
    .filter(([id]) => id.startsWith(prefix))
    .map(([, resource]) => resource as Record<string, unknown>);
}

describe('TestRunner', () => {
  let app: App;
  let template: Template;

  beforeAll(async () => {
    // GIVEN acme deploying a pipeline with a test step, its tests on a Python image
    const [acme] = shippedTenants() as [TenantConfig];
    const built = await buildTenantApp({
      tenants: [ciTenant(acme, PYTHON)],
      pipelinesDir: testStepPipelines(),
    });
    app = built.app;
    template = Template.fromStack(built.stacks.get('acme') as TenantStack);
  }, SYNTH_TIMEOUT_MS);

  it('runs test steps as an ARM64 Fargate task, its container told only the tenant and its bucket', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'test-runner',
          Environment: [
            { Name: 'TENANT_ID', Value: 'acme' },
            { Name: 'ARTIFACT_BUCKET', Value: { Ref: Match.stringLikeRegexp('^ArtifactsBucket') } },
          ],
        }),
      ],
    });
  });

  it("builds its image from test-runner/ on the tenant's base image, for ARM64", () => {
    // WHEN the app synthesizes
    const { directory } = app.synth();
    const manifest = JSON.parse(
      readFileSync(join(directory, `${tenantStackName('acme')}.assets.json`), 'utf8'),
    );
    // THEN one image is built with the tenant's base image as its build argument
    const images = Object.values(
      manifest.dockerImages as Record<string, { source: Record<string, unknown> }>,
    );
    const testRunner = images
      .filter((image) => existsSync(join(directory, String(image.source.directory), 'Dockerfile')))
      .filter((image) =>
        readFileSync(join(directory, String(image.source.directory), 'Dockerfile'), 'utf8').includes(
          'test-runner.mjs',
        ),
      );
    expect(testRunner.map((image) => image.source)).toEqual([
      expect.objectContaining({ dockerBuildArgs: { BASE_IMAGE: PYTHON }, platform: 'linux/arm64' }),
    ]);
  });

  it('gives the task no way out: isolated subnets without routes, and only the S3, ECR and Logs endpoints', () => {
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::Route']) {
      expect(resourcesOf(template, type, 'TestRunner'), type).toEqual([]);
    }
    const endpoints = resourcesOf(template, 'AWS::EC2::VPCEndpoint', 'TestRunner').map((endpoint) => {
      const { ServiceName, VpcEndpointType } = (endpoint as { Properties: Record<string, unknown> })
        .Properties;
      return `${VpcEndpointType}:${JSON.stringify(ServiceName).match(/\.([a-z0-9.]+)"\]\]\}$/)?.[1]}`;
    });
    expect(endpoints.sort()).toEqual([
      'Gateway:s3',
      'Interface:ecr.api',
      'Interface:ecr.dkr',
      'Interface:logs',
    ]);
    // AND the S3 gateway lets through only the tenant's prefix of its bucket, and ECR's image layers
    const [gateway] = resourcesOf(template, 'AWS::EC2::VPCEndpoint', 'TestRunner').filter(
      (endpoint) =>
        (endpoint as { Properties: { VpcEndpointType: string } }).Properties.VpcEndpointType === 'Gateway',
    );
    const reached = JSON.stringify(
      (gateway as { Properties: { PolicyDocument: unknown } }).Properties.PolicyDocument,
    );
    expect(reached).toContain('"/tenants/acme/*"');
    expect(reached).toContain('-starport-layer-bucket/*');
    expect(reached).not.toMatch(/"Resource":"\*"|"\*"\]/);
    // AND the endpoints take HTTPS from the test-runner tasks only
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^The VPC endpoints of the test-runner tasks'),
      SecurityGroupEgress: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TestRunnerTasks'), 'GroupId'] },
    });
  });

  it("fills the state machine's test-runner placeholders, and lets its role run exactly that task", () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'elexirion-acme_stack_ci',
      DefinitionSubstitutions: {
        StepRunnerArn: Match.anyValue(),
        TestRunnerCluster: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TestRunnerCluster'), 'Arn'] },
        TestRunnerTaskDefinition: { Ref: Match.stringLikeRegexp('^TestRunnerTask') },
        TestRunnerSubnet1: { Ref: Match.stringLikeRegexp('^TestRunnerVpcisolatedSubnet1') },
        TestRunnerSubnet2: { Ref: Match.stringLikeRegexp('^TestRunnerVpcisolatedSubnet2') },
        TestRunnerSecurityGroup: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TestRunnerTasks'), 'GroupId'] },
      },
    });
    const statements = JSON.stringify(
      resourcesOf(template, 'AWS::IAM::Policy', 'PipelineciStateMachineRole').map(
        (policy) => (policy as { Properties: { PolicyDocument: unknown } }).Properties.PolicyDocument,
      ),
    );
    expect(JSON.parse(statements)[0].Statement).toEqual(
      expect.arrayContaining([
        {
          Action: 'ecs:RunTask',
          Effect: 'Allow',
          Resource: { Ref: expect.stringMatching(/^TestRunnerTask/) },
          Condition: {
            ArnEquals: {
              'ecs:cluster': { 'Fn::GetAtt': [expect.stringMatching(/^TestRunnerCluster/), 'Arn'] },
            },
          },
        },
        expect.objectContaining({ Action: ['ecs:DescribeTasks', 'ecs:StopTask'] }),
        expect.objectContaining({
          Action: 'iam:PassRole',
          Resource: [
            { 'Fn::GetAtt': [expect.stringMatching(/^TestRunnerTaskTaskRole/), 'Arn'] },
            { 'Fn::GetAtt': [expect.stringMatching(/^TestRunnerTaskExecutionRole/), 'Arn'] },
          ],
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
        expect.objectContaining({ Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
      ]),
    );
    expect(statements).toContain(':rule/StepFunctionsGetEventsForECSTaskRule');
    // AND the tasks it may follow and stop are those of the test-runner cluster
    expect(statements).toMatch(/":task\/",\{"Ref":"TestRunnerCluster[0-9A-F]+"\},"\/\*"/);
  });

  it("lets the task read the tenant's workspaces, specs and runs, and write only under its runs", () => {
    const [policy] = resourcesOf(template, 'AWS::IAM::Policy', 'TestRunnerTaskTaskRole');
    const rendered = JSON.stringify(policy).replace(
      /\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["ArtifactsBucket[0-9A-F]+","Arn"\]\},"([^"]+)"\]\]\}/g,
      '"BUCKET$1"',
    );
    expect(JSON.parse(rendered).Properties.PolicyDocument.Statement).toEqual([
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Resource: [
          'BUCKET/tenants/acme/workspaces/*',
          'BUCKET/tenants/acme/specs/*',
          'BUCKET/tenants/acme/runs/*',
        ],
      },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: 'BUCKET/tenants/acme/runs/*' },
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ArtifactsBucket/), 'Arn'] },
        Condition: {
          StringLike: {
            's3:prefix': ['tenants/acme/workspaces/*', 'tenants/acme/specs/*', 'tenants/acme/runs/*'],
          },
        },
      },
    ]);
  });

  it(
    'is left out of a stack whose pipelines have no test step',
    async () => {
      // GIVEN the shipped tenants, none of whose pipelines has a test step
      const { stacks } = await buildTenantApp();
      const shipped = Template.fromStack(stacks.get('acme') as TenantStack).toJSON() as {
        Resources: Record<string, unknown>;
      };
      // THEN no resource of the test runner is there
      expect(Object.keys(shipped.Resources).filter((id) => id.startsWith('TestRunner'))).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'passes the AwsSolutions checks',
    async () => {
      // GIVEN the same stack with cdk-nag's AwsSolutions pack as a validation plugin
      const [acme] = shippedTenants() as [TenantConfig];
      const { app: nagged } = await buildTenantApp({
        tenants: [ciTenant(acme)],
        pipelinesDir: testStepPipelines(),
        nag: true,
      });
      // WHEN it synthesizes, THEN no rule fails (a failure throws ValidationFailed)
      expect(() => nagged.synth()).not.toThrow();
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('the test-runner image’s entry point, bundled for real', () => {
  let bundle: string;

  beforeAll(async () => {
    // GIVEN a tenant with a test step, its app synthesized with bundling on (esbuild, no Docker)
    const dir = testStepPipelines();
    const [acme] = shippedTenants() as [TenantConfig];
    const tenant = ciTenant(acme);
    const pipelines = await compileTenantPipelines([tenant], dir);
    const app = new App();
    new TenantStack(app, tenantStackName('acme'), { tenant, pipelines: pipelines.get('acme') ?? [] });
    const { directory } = app.synth();
    const manifest = JSON.parse(
      readFileSync(join(directory, `${tenantStackName('acme')}.assets.json`), 'utf8'),
    );
    const sources = Object.values(manifest.dockerImages as Record<string, { source: { directory: string } }>);
    const staged = sources
      .map(({ source }) => join(directory, source.directory, 'test-runner.mjs'))
      .find((file) => existsSync(file));
    if (staged === undefined) throw new Error('no image asset holds test-runner.mjs');
    bundle = staged;
  }, SYNTH_TIMEOUT_MS);

  /** Runs the bundle as the container's ENTRYPOINT would, with `env` only; its exit code and stderr. */
  function runBundle(env: Record<string, string>): { status: number; stderr: string } {
    try {
      execFileSync(process.execPath, [bundle], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: 'pipe',
      });
      return { status: 0, stderr: '' };
    } catch (error) {
      const failed = error as { status: number; stderr: Buffer };
      return { status: failed.status, stderr: failed.stderr.toString() };
    }
  }

  it('loads, and exits 1 naming what its environment lacks', () => {
    expect(runBundle({})).toEqual({
      status: 1,
      stderr: expect.stringContaining('test runner configuration is invalid: TENANT_ID'),
    });
    expect(runBundle({ TENANT_ID: 'acme', ARTIFACT_BUCKET: 'bucket' })).toEqual({
      status: 1,
      stderr: expect.stringContaining('needs ELEXIRION_TEST_RUN and ELEXIRION_TEST_STEP'),
    });
  });

  it("refuses a request of another tenant's run before touching anything", () => {
    const run = {
      tenantId: 'globex',
      runId: 'r-1',
      pipeline: 'ci',
      bundleKey: 'tenants/globex/specs/ci/h.json',
    };
    expect(
      runBundle({
        TENANT_ID: 'acme',
        ARTIFACT_BUCKET: 'bucket',
        ELEXIRION_TEST_RUN: JSON.stringify(run),
        ELEXIRION_TEST_STEP: 'verify',
      }),
    ).toEqual({
      status: 1,
      stderr: expect.stringContaining('serves tenant acme, and was asked to run a step of tenant globex'),
    });
  });
});

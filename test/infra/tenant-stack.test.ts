import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifactKeys } from '../../functions/core/artifact-keys.js';
import type { TenantStack } from '../../infra/tenant-stack.js';
import { loadPipeline } from '../../pipelines/loader.js';
import { compilePipeline } from '../../statemachines/compile.js';
import { buildTenantApp, SYNTH_TIMEOUT_MS } from './support/tenant-app.js';

/** The one state machine definition of `template` whose name ends with `-<pipeline>`, placeholders resolved. */
function deployedAsl(template: Template, pipeline: string, stepRunnerArn: string): unknown {
  const machines = template.findResources('AWS::StepFunctions::StateMachine', {
    Properties: { StateMachineName: Match.stringLikeRegexp(`-${pipeline}$`) },
  });
  const [machine] = Object.values(machines) as { Properties: Record<string, unknown> }[];
  const substitutions = machine?.Properties.DefinitionSubstitutions as Record<string, unknown>;
  expect(substitutions).toEqual({ StepRunnerArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
  const definition = String(machine?.Properties.DefinitionString);
  return JSON.parse(definition.replaceAll('${StepRunnerArn}', stepRunnerArn));
}

describe('TenantStack', () => {
  let acme: TenantStack;
  let template: Template;
  let globex: Template;

  beforeAll(async () => {
    // GIVEN the shipped tenants file (acme: chain and hello; globex: hello), every part wired
    // (the optimizer from a stand-in image until optimizer/ has a Dockerfile), bundling skipped
    const { stacks } = await buildTenantApp({ complete: true });
    acme = stacks.get('acme') as TenantStack;
    // WHEN each tenant stack is synthesized
    template = Template.fromStack(acme);
    globex = Template.fromStack(stacks.get('globex') as TenantStack);
  }, SYNTH_TIMEOUT_MS);

  it('deploys one Standard state machine per configured pipeline, logging ALL and traced', () => {
    // THEN acme has chain and hello, globex only hello
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    globex.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    for (const name of ['elexirion-acme-chain', 'elexirion-acme-hello']) {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: name,
        StateMachineType: 'STANDARD',
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
        TracingConfiguration: { Enabled: true },
      });
    }
  });

  it.each(['chain', 'hello'])(
    'deploys exactly the compiler output for %s, with the step runner substituted',
    async (name) => {
      // GIVEN the compiler's own output for the same pipeline file
      const { pipeline } = await loadPipeline(`pipelines/examples/${name}.yaml`);
      const { asl } = compilePipeline(pipeline ?? expect.fail('pipeline did not load'));
      // WHEN the template's definition is read back with a fake step runner ARN for the placeholder
      const fakeArn = 'arn:aws:lambda:us-east-1:000000000000:function:step-runner';
      // THEN it equals the compiled ASL with that substitution, byte for byte as JSON
      const expected = JSON.parse(JSON.stringify(asl).replaceAll('${StepRunnerArn}', fakeArn));
      expect(deployedAsl(template, name, fakeArn)).toEqual(expected);
    },
  );

  it('alarms on every failed execution of each state machine', () => {
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'ExecutionsFailed', Namespace: 'AWS/States', Threshold: 1 },
      2,
    );
  });

  it('keeps artifacts in an encrypted, versioned, private, TLS-only bucket with lifecycle rules and EventBridge on', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'abort-incomplete-uploads',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          }),
          Match.objectLike({
            Id: 'expire-noncurrent-versions',
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          }),
          Match.objectLike({ Id: 'expire-inbox', Prefix: 'tenants/acme/inbox/', ExpirationInDays: 30 }),
        ]),
      },
    });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  it('grants on the bucket stay under the prefix artifact-keys.ts writes to', () => {
    // GIVEN the keys the core writes
    const keys = [
      artifactKeys.attempt('acme', 'r1', 'plan', 1),
      artifactKeys.specBundle('acme', 'chain', 'abc'),
      artifactKeys.runPrefix('acme', 'r1'),
    ];
    // THEN every one of them sits under the prefix the grants are fenced to
    for (const key of keys) expect(key.startsWith('tenants/acme/')).toBe(true);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:PutObject'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, '/tenants/acme/*']] },
          }),
        ]),
      },
    });
  });

  it('creates every table of table-definitions.ts on demand, with PITR, deletion protection and retain', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    template.resourcePropertiesCountIs(
      'AWS::DynamoDB::Table',
      { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } },
      1,
    );
    expect(
      Object.values(template.findResources('AWS::DynamoDB::Table')).map((t) => t.DeletionPolicy),
    ).toEqual(['Retain', 'Retain', 'Retain']);
  });

  it('fences every DynamoDB item grant to keys led by TENANT#acme, and never by a bare prefix', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
            Condition: {
              'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#acme', 'TENANT#acme#*'] },
            },
          }),
        ]),
      },
    });
  });

  it('runs the step runner as an ARM64 ESM bundle on the latest Node LTS, traced, with a timeout above every Task', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      // The longest compiled Task timeout is 150 s (120 s provider timeout + 30 s); 10 s of headroom.
      Timeout: 160,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Environment: {
        Variables: Match.objectLike({
          TENANT_ID: 'acme',
          PROVIDER_MODE: 'auto',
          POWERTOOLS_SERVICE_NAME: 'elexirion-step-runner',
          POWERTOOLS_METRICS_NAMESPACE: 'Elexirion',
          ANTHROPIC_KEY_SECRET: { Ref: Match.stringLikeRegexp('^ProviderKeysanthropic') },
          GEMINI_KEY_SECRET: { Ref: Match.stringLikeRegexp('^ProviderKeysgemini') },
        }),
      },
    });
  });

  it('never puts a provider key in a Lambda environment', () => {
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const variables = Object.keys(fn.Properties?.Environment?.Variables ?? {});
      expect(variables.filter((name) => /API_KEY$/.test(name))).toEqual([]);
    }
  });

  it('keeps one key secret per provider, named for the tenant, readable by the step runner and the optimizer only', () => {
    for (const provider of ['anthropic', 'gemini']) {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `elexirion/acme/${provider}`,
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"apiKey":""}' }),
      });
    }
    const readers = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes('secretsmanager:GetSecretValue'),
    );
    // The optimizer calls the same providers when it compiles with a real model.
    expect(readers).toHaveLength(2);
    expect(
      readers
        .map((policy) => JSON.stringify(policy).match(/"Roles":\[\{"Ref":"(\w+?)[0-9A-F]{8}"/)?.[1])
        .sort(),
    ).toEqual(['OptimizerTaskTaskRole', 'StepRunnerHandlerRole']);
  });

  it('uploads each spec bundle at deploy time to the key the runs read, with a role fenced to specs/', () => {
    template.resourceCountIs('Custom::AWS', 2);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 's3:PutObject',
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, '/tenants/acme/specs/*']],
            },
          }),
        ],
      },
    });
  });

  it('watches the tenant: dashboard, failure-rate and daily cost alarms notifying one topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'elexirion-acme' });
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const title of [
      'Runs and failures',
      'Degraded steps',
      'Tokens',
      'Provider cost (USD)',
      'Step latency (ms)',
    ]) {
      expect(body).toContain(title);
    }
    // One failure-rate alarm per pipeline (an alarm's math takes at most 10 metrics), joined by a composite
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      {
        Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * (failed + timedOut) / started' })]),
        Threshold: 10,
      },
      2,
    );
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmRule: Match.anyValue(),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitoringAlarms') }],
    });
    // acme's budget is 250 USD a month: a day above 250 / 30 raises the alarm.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CostUsd',
      Namespace: 'Elexirion',
      Dimensions: Match.arrayWith([{ Name: 'tenant', Value: 'acme' }]),
      Period: 86_400,
      Threshold: 250 / 30,
    });
  });

  it('puts a TOKEN authorizer in front of every method of the run API', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods.length).toBeGreaterThanOrEqual(2);
    for (const method of methods) expect(method.Properties.AuthorizationType).toBe('CUSTOM');
  });

  it('throttles the tenant at its own rate and burst, with access logs and tracing', () => {
    // acme's tenants.yaml entry: rateLimit 20, burstLimit 40
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
        }),
      ],
    });
  });

  it('starts runs from objects created in the tenant inbox and from PipelineRequested on its bus', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'elexirion-acme' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [Match.anyValue()] },
          object: { key: [{ prefix: 'tenants/acme/inbox/' }] },
        },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^RunControlEventsBus') },
      EventPattern: { 'detail-type': ['PipelineRequested'] },
    });
  });

  it("finishes runs when an execution of one of the tenant's state machines ends", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [
            { Ref: Match.stringLikeRegexp('^PipelinechainStateMachine') },
            { Ref: Match.stringLikeRegexp('^PipelinehelloStateMachine') },
            // and the machines registered at run time, elexirion-acme-api-*
            { prefix: { 'Fn::Join': ['', Match.arrayWith([':stateMachine:elexirion-acme-api-'])] } },
          ],
          status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
        },
      },
    });
  });

  it('lets the run API register pipelines only under elexirion-acme-api-, passing only their own role', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['states:CreateStateMachine', 'states:UpdateStateMachine'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([':stateMachine:elexirion-acme-api-*'])] },
          }),
          Match.objectLike({
            Action: 'iam:PassRole',
            Condition: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } },
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RunControlRegisteredPipelinesRole'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('tells the run-control functions which pipelines are deployed, and where their bundles are', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TENANT_ID: 'acme',
          DEPLOYED_PIPELINES: {
            'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"chain":\\{"stateMachine":"')])],
          },
          EVENT_BUS_NAME: { Ref: Match.stringLikeRegexp('^RunControlEventsBus') },
        }),
      },
    });
  });

  it('schedules the optimizer as an ARM64 Fargate task with EventBridge Scheduler, without a NAT gateway', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Target: Match.objectLike({
        EcsParameters: Match.objectLike({
          LaunchType: 'FARGATE',
          NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
        }),
      }),
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({ Environment: Match.arrayWith([{ Name: 'TENANT_ID', Value: 'acme' }]) }),
      ],
    });
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifactKeys } from '../../functions/shared/artifact-keys.js';
import type { TenantConfig } from '../../infra/tenant-config.js';
import type { TenantStack } from '../../infra/tenant-stack.js';
import { loadPipeline } from '../../pipelines/loader.js';
import { compilePipeline } from '../../statemachines/compile.js';
import { buildTenantApp, SYNTH_TIMEOUT_MS, shippedTenants } from './support/tenant-app.js';

/** The state machine report.yaml's nested `summary` step runs as a child execution. */
const CHILD_NAME = 'elexirion-acme_child_report-summary';

/** A resource of a template, as `findResources` returns it. */
interface CfnResource {
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
}

/** The logical id and resource of the state machine named `name`. */
function machineNamed(template: Template, name: string): [string, CfnResource] {
  const found = Object.entries(
    template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: name } }),
  ) as [string, CfnResource][];
  expect(found, name).toHaveLength(1);
  return found[0] as [string, CfnResource];
}

/** Every statement of the IAM policies attached to the role `roleId`. */
function statementsOfRole(template: Template, roleId: string): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** The logical id of the role a state machine runs as. */
function roleOf(machine: CfnResource): string {
  return (machine.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/** The one state machine definition of `template` whose name ends with `_<pipeline>`, placeholders resolved. */
function deployedAsl(template: Template, pipeline: string, stepRunnerArn: string): unknown {
  const machines = template.findResources('AWS::StepFunctions::StateMachine', {
    Properties: { StateMachineName: Match.stringLikeRegexp(`_${pipeline}$`) },
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
    // THEN acme has chain, hello, report and report's child (its nested summary), globex only hello
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 4);
    globex.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    for (const name of [
      'elexirion-acme_stack_chain',
      'elexirion-acme_stack_hello',
      'elexirion-acme_stack_report',
      CHILD_NAME,
    ]) {
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

  it("alarms on every failed execution of each pipeline's state machine", () => {
    // A child that fails fails its parent's Task, so the parent's alarm covers it.
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'ExecutionsFailed', Namespace: 'AWS/States', Threshold: 1 },
      3,
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
    template.resourceCountIs('Custom::AWS', 3);
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
      3,
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

  it('passes repository archives to the run API as bytes, not as text', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      BinaryMediaTypes: [
        'application/gzip',
        'application/x-gzip',
        'application/zip',
        'application/octet-stream',
      ],
    });
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
            { Ref: Match.stringLikeRegexp('^PipelinereportStateMachine') },
            // (not report's child: its executions are steps of a report run, not runs)
            // and the machines registered at run time, elexirion-acme_api_*
            { prefix: { 'Fn::Join': ['', Match.arrayWith([':stateMachine:elexirion-acme_api_'])] } },
          ],
          status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
        },
      },
    });
  });

  it('lets the run API register pipelines only under elexirion-acme_api_, passing only their own role', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['states:CreateStateMachine', 'states:UpdateStateMachine'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([':stateMachine:elexirion-acme_api_*'])] },
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

  describe('a nested pipeline run as a child execution (report.yaml)', () => {
    it('deploys the child as a Standard state machine of its own, logging ALL, traced, running the compiled child', async () => {
      // GIVEN the compiler's child of report.yaml, the one its summary step starts
      const { pipeline } = await loadPipeline('pipelines/examples/report.yaml');
      const { children } = compilePipeline(pipeline ?? expect.fail('report did not load'));
      expect(children?.map((child) => child.scope)).toEqual(['summary']);
      const child = children?.[0] ?? expect.fail('no child');
      // WHEN the child's machine is read back from the template
      const [, machine] = machineNamed(template, CHILD_NAME);
      // THEN it is configured like every pipeline's machine
      expect(machine.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
        TracingConfiguration: { Enabled: true },
      });
      // AND it runs the compiled child, calling the step runner and nothing else
      const substitutions = machine.Properties.DefinitionSubstitutions;
      expect(substitutions).toEqual({ StepRunnerArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
      const fakeArn = 'arn:aws:lambda:us-east-1:000000000000:function:step-runner';
      const definition = String(machine.Properties.DefinitionString).replaceAll('${StepRunnerArn}', fakeArn);
      expect(JSON.parse(definition)).toEqual(
        JSON.parse(JSON.stringify(child.definition).replaceAll('${StepRunnerArn}', fakeArn)),
      );
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/vendedlogs/states/${CHILD_NAME}`,
      });
    });

    it("fills the parent's child placeholder with the child's ARN: nothing is left unfilled", () => {
      // GIVEN the parent (report) and its child
      const [childId] = machineNamed(template, CHILD_NAME);
      const [, parent] = machineNamed(template, 'elexirion-acme_stack_report');
      const substitutions = parent.Properties.DefinitionSubstitutions as Record<string, unknown>;
      // THEN the child placeholder is filled with the child's ARN (a Ref: CloudFormation makes the child first)
      const childKeys = Object.keys(substitutions).filter((key) => key.startsWith('ChildStateMachine_'));
      expect(childKeys).toHaveLength(1);
      expect(substitutions[childKeys[0] as string]).toEqual({ Ref: childId });
      // AND once every substitution is applied, no placeholder is left and the Task starts the child
      let definition = String(parent.Properties.DefinitionString);
      for (const [key, value] of Object.entries(substitutions)) {
        definition = definition.replaceAll(
          `\${${key}}`,
          `resolved:${JSON.stringify(value).replaceAll('"', "'")}`,
        );
      }
      expect(definition).not.toMatch(/\$\{/);
      const summary = (JSON.parse(definition) as { States: Record<string, Record<string, unknown>> }).States
        .summary;
      expect(summary).toMatchObject({
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution.sync:2',
        Parameters: { StateMachineArn: `resolved:{'Ref':'${childId}'}` },
      });
    });

    it("lets the parent's role start exactly the child, follow and stop its executions, and keep the .sync rule", () => {
      // GIVEN the parent's role and its policies
      const [childId] = machineNamed(template, CHILD_NAME);
      const [, parent] = machineNamed(template, 'elexirion-acme_stack_report');
      const statements = statementsOfRole(template, roleOf(parent));
      const granting = (action: string) =>
        statements.filter((statement) => [statement.Action].flat().includes(action));
      // THEN StartExecution names the child's ARN and nothing else: no wildcard, no other machine
      expect(granting('states:StartExecution')).toEqual([
        { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: childId } },
      ]);
      // AND DescribeExecution and StopExecution reach the child's executions only
      expect(granting('states:DescribeExecution')).toEqual([
        {
          Action: ['states:DescribeExecution', 'states:StopExecution'],
          Effect: 'Allow',
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':states:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                `:execution:${CHILD_NAME}:*`,
              ],
            ],
          },
        },
      ]);
      // AND the events actions .sync needs reach only Step Functions' managed rule
      expect(granting('events:PutRule')).toEqual([
        {
          Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          Effect: 'Allow',
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':events:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
              ],
            ],
          },
        },
      ]);
    });

    it('runs the child as a role of its own that may call the step runner and start nothing', () => {
      const [, child] = machineNamed(template, CHILD_NAME);
      const [, parent] = machineNamed(template, 'elexirion-acme_stack_report');
      expect(roleOf(child)).not.toBe(roleOf(parent));
      const actions = statementsOfRole(template, roleOf(child)).flatMap((statement) =>
        [statement.Action].flat(),
      );
      expect(actions).toContain('lambda:InvokeFunction');
      expect(actions.filter((action) => String(action).startsWith('states:'))).toEqual([]);
      expect(actions.filter((action) => String(action).startsWith('events:'))).toEqual([]);
    });

    it("ships the child's specs in the parent's bundle, under the nesting step's scope the child runs in", () => {
      // GIVEN the deploy-time upload of report's bundle, its SDK call read back (the bucket as a stand-in)
      const uploads = Object.values(
        template.findResources('Custom::AWS', {
          Properties: {
            Create: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('specs/report/')])] },
          },
        }),
      );
      expect(uploads).toHaveLength(1);
      const [, parts] = uploads[0]?.Properties.Create['Fn::Join'] ?? expect.fail('no upload of report');
      const call = JSON.parse(
        (parts as unknown[]).map((part) => (typeof part === 'string' ? part : 'BUCKET')).join(''),
      );
      const bundle = JSON.parse(call.parameters.Body) as { steps: Record<string, { kind: string }> };
      // THEN the child's step is there under its scope: the child runs under its parent's run and
      // bundle (run.bundleKey), and its step runner reads SCOPE.STEP, so the child needs no bundle of its own
      expect(call.parameters.Key).toMatch(/^tenants\/acme\/specs\/report\/[0-9a-f]{64}\.json$/);
      expect(bundle.steps['summary.draft']?.kind).toBe('llm');
    });
  });
});

describe('TenantStack with child state machines nested two deep', () => {
  /** A parent whose child starts a grandchild; the child execution may take an hour. */
  const NESTED = [
    'workflow:',
    '  name: nest',
    '  steps:',
    '    - name: outer',
    '      type: pipeline',
    '      config: {timeout_seconds: 3600}',
    '      pipeline:',
    '        name: middle',
    '        steps:',
    '          - {name: first, type: test_echo, value: one}',
    '          - name: inner',
    '            type: pipeline',
    '            pipeline: {name: leaf, steps: [{name: deep, type: test_echo, value: 1}]}',
    '',
  ].join('\n');
  const PARENT = 'elexirion-nest_stack_nest';
  const CHILD = 'elexirion-nest_child_nest-outer';
  const GRANDCHILD = 'elexirion-nest_child_nest-outer-inner';
  let template: Template;

  beforeAll(async () => {
    // GIVEN a tenant deploying only that pipeline
    const dir = mkdtempSync(join(tmpdir(), 'elexirion-nested-'));
    writeFileSync(join(dir, 'nest.yaml'), NESTED);
    const tenant: TenantConfig = {
      ...(shippedTenants()[1] as TenantConfig),
      id: 'nest',
      pipelines: ['nest.yaml'],
    };
    // WHEN its stack is synthesized
    const { stacks } = await buildTenantApp({ tenants: [tenant], pipelinesDir: dir });
    template = Template.fromStack(stacks.get('nest') as TenantStack);
  }, SYNTH_TIMEOUT_MS);

  it('deploys the parent, its child and the child’s child, each filling only its own children', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 3);
    const [childId, child] = machineNamed(template, CHILD);
    const [grandchildId, grandchild] = machineNamed(template, GRANDCHILD);
    const [, parent] = machineNamed(template, PARENT);
    const childMachines = (machine: CfnResource) =>
      Object.entries(machine.Properties.DefinitionSubstitutions as Record<string, unknown>)
        .filter(([key]) => key.startsWith('ChildStateMachine_'))
        .map(([, value]) => value);
    expect(childMachines(parent)).toEqual([{ Ref: childId }]);
    expect(childMachines(child)).toEqual([{ Ref: grandchildId }]);
    expect(childMachines(grandchild)).toEqual([]);
  });

  it('lets each role start exactly the machine its definition starts', () => {
    const [childId, child] = machineNamed(template, CHILD);
    const [grandchildId, grandchild] = machineNamed(template, GRANDCHILD);
    const [, parent] = machineNamed(template, PARENT);
    const started = (machine: CfnResource) =>
      statementsOfRole(template, roleOf(machine))
        .filter((statement) => [statement.Action].flat().includes('states:StartExecution'))
        .map((statement) => statement.Resource);
    expect(started(parent)).toEqual([{ Ref: childId }]);
    expect(started(child)).toEqual([{ Ref: grandchildId }]);
    expect(started(grandchild)).toEqual([]);
  });

  it("sizes the step runner's timeout by its own Tasks, not by the hour a child execution may take", () => {
    const [lambda] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'elexirion-step-runner' }) },
        },
      }),
    );
    expect(lambda?.Properties.Timeout).toBeLessThan(900);
  });
});

import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  childStateMachineName,
  registeredStateMachineName,
} from '../../functions/runs/state-machine-names.js';
import type { TenantConfig } from '../../infra/tenant-config.js';
import type { TenantStack } from '../../infra/tenant-stack.js';
import { buildTenantApp, SYNTH_TIMEOUT_MS, shippedTenants } from './support/tenant-app.js';
import {
  findGrantsReaching,
  findIsolationViolations,
  type IsolationScope,
  namedResourceArns,
  type TemplateJson,
} from './support/tenant-isolation.js';
import { ciTenant, testStepPipelines } from './support/test-step-tenants.js';

const TENANTS = ['acme', 'globex'];

/** What `stack` may reach: its own tenant, with its API-key lookup table keyed by hash. */
function scopeOf(stack: TenantStack, tenantId: string): IsolationScope {
  const apiKeys = stack.tables.tables.apiKeys.node.defaultChild as CfnElement;
  return {
    tenantId,
    otherTenants: TENANTS.filter((other) => other !== tenantId),
    tablesKeyedByHash: [stack.getLogicalId(apiKeys)],
  };
}

describe('tenant isolation', () => {
  let templates: Map<string, TemplateJson>;
  let scopes: Map<string, IsolationScope>;

  beforeAll(async () => {
    // GIVEN both shipped tenants with every part wired (API, triggers, optimizer), synthesized once
    const { stacks } = await buildTenantApp({ complete: true });
    const stackOf = (id: string) => stacks.get(id) as TenantStack;
    templates = new Map(TENANTS.map((id) => [id, Template.fromStack(stackOf(id)).toJSON() as TemplateJson]));
    scopes = new Map(TENANTS.map((id) => [id, scopeOf(stackOf(id), id)]));
  }, SYNTH_TIMEOUT_MS);

  it.each(TENANTS)(
    'finds no policy of %s reaching another tenant, a foreign resource or an unfenced key',
    (tenantId) => {
      // WHEN every IAM policy statement of the tenant's template is walked
      const violations = findIsolationViolations(
        templates.get(tenantId) as TemplateJson,
        scopes.get(tenantId) as IsolationScope,
      );
      // THEN none reaches past the tenant
      expect(violations).toEqual([]);
    },
  );

  it('has policies to check: the walk is not vacuous', () => {
    const acme = JSON.stringify(templates.get('acme'));
    for (const grant of [
      'dynamodb:LeadingKeys',
      '/tenants/acme/*',
      'states:StartExecution',
      'events:PutEvents',
    ]) {
      expect(acme).toContain(grant);
    }
  });

  it('fails when a copy of the template has a statement widened to every resource', () => {
    // GIVEN a copy of acme's template whose S3 object grant is widened from tenants/acme/* to *
    const widened = structuredClone(templates.get('acme')) as TemplateJson;
    const text = JSON.stringify(widened).replace(
      /\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["ArtifactsBucket[0-9A-F]+","Arn"\]\},"\/tenants\/acme\/\*"\]\]\}/,
      '"*"',
    );
    expect(text).not.toEqual(JSON.stringify(widened));
    // WHEN the check runs on the copy
    const violations = findIsolationViolations(JSON.parse(text), scopes.get('acme') as IsolationScope);
    // THEN it reports the widened statement
    expect(violations).toEqual([
      expect.objectContaining({
        resource: '*',
        reason: '`*` resource for actions that support a scoped resource',
      }),
    ]);
  });

  it(
    'fails when a copy of the stack grants the step runner a globex table',
    async () => {
      // GIVEN a fresh copy of acme's stack whose step runner is also granted globex's runs table
      const { stacks } = await buildTenantApp({ tenants: [shippedTenants()[0] as TenantConfig] });
      const copy = stacks.get('acme') as TenantStack;
      const role = copy.node
        .findAll()
        .find((c) => c.node.path === 'Elexirion-acme/StepRunner/Handler/Role') as iam.Role;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem'],
          resources: ['arn:aws:dynamodb:us-east-1:111122223333:table/elexirion-globex-runs'],
        }),
      );
      // WHEN the check runs on it
      const violations = findIsolationViolations(
        Template.fromStack(copy).toJSON() as TemplateJson,
        scopeOf(copy, 'acme'),
      );
      // THEN it names the grant on globex
      expect(violations).toContainEqual(
        expect.objectContaining({
          resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/elexirion-globex-runs',
          reason: 'names tenant globex',
        }),
      );
    },
    SYNTH_TIMEOUT_MS,
  );

  it('fails when an item grant on a tenant table loses its leading-key fence', () => {
    // GIVEN a copy of acme's template with the LeadingKeys condition removed
    const text = JSON.stringify(templates.get('acme')).replaceAll(
      ',"Condition":{"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["TENANT#acme","TENANT#acme#*"]}}',
      '',
    );
    // WHEN the check runs on it
    const violations = findIsolationViolations(JSON.parse(text), scopes.get('acme') as IsolationScope);
    // THEN every unfenced item grant is reported
    expect(violations.length).toBeGreaterThan(0);
    expect(
      violations.every((v) => v.reason === 'DynamoDB item grant without dynamodb:LeadingKeys TENANT#acme'),
    ).toBe(true);
  });
});

describe('tenant isolation between ids where one starts the other', () => {
  /** `acme-api-x` starts with `acme-api-`, what acme's registered machines were once named after. */
  const PAIR = ['acme', 'acme-api-x'];
  /**
   * Pipelines each tenant registers at run time: names that, joined to the tenant id with `-`,
   * spell the other tenant's machines (`acme` + `x-chain`, `acme` + `x-api-chain`).
   */
  const REGISTERED = ['chain', 'x-chain', 'x-api-chain'];
  let templates: Map<string, TemplateJson>;

  beforeAll(async () => {
    // GIVEN acme and acme-api-x, each with acme's pipelines and every part wired, in one app
    const acme = shippedTenants()[0] as TenantConfig;
    const { stacks } = await buildTenantApp({
      tenants: PAIR.map((id) => ({ ...acme, id })),
      complete: true,
    });
    templates = new Map(
      PAIR.map((id) => [id, Template.fromStack(stacks.get(id) as TenantStack).toJSON() as TemplateJson]),
    );
  }, SYNTH_TIMEOUT_MS);

  const arnsOf = (tenantId: string) =>
    namedResourceArns(
      templates.get(tenantId) as TemplateJson,
      REGISTERED.map((pipeline) => registeredStateMachineName(tenantId, pipeline)),
    );

  it.each([PAIR, [...PAIR].reverse()])('grants %s nothing that matches a resource of %s', (self, other) => {
    // WHEN every grant of one tenant is matched, wildcards and all, against the other's resources
    const reaching = findGrantsReaching(
      templates.get(self as string) as TemplateJson,
      arnsOf(other as string),
    );
    // THEN none matches
    expect(reaching).toEqual([]);
  });

  it("matches acme's grants on its child state machine against acme's child only", () => {
    // GIVEN the child state machine report.yaml's nested summary runs in, in each tenant
    const child = (tenantId: string) =>
      `arn:AWS::Partition:states:AWS::Region:AWS::AccountId:execution:${childStateMachineName(tenantId, 'report', 'summary')}:run-1`;
    for (const tenantId of PAIR) expect(arnsOf(tenantId)).toContain(child(tenantId));
    // WHEN acme's grants are matched against acme's own resources
    const reaching = findGrantsReaching(templates.get('acme') as TemplateJson, arnsOf('acme'));
    // THEN report's role may follow and stop the executions of acme's child (and the check above
    // found it reaching nothing of acme-api-x's child)
    expect(reaching).toContainEqual(
      expect.objectContaining({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        reason: `reaches ${child('acme')}`,
      }),
    );
  });

  it("matches acme's registration grants against its own machines: the check is not vacuous", () => {
    // WHEN acme's grants are matched against acme's own resources
    const reaching = findGrantsReaching(templates.get('acme') as TemplateJson, arnsOf('acme'));
    // THEN the wildcard grants on its registered machines reach them
    expect(reaching).toContainEqual(
      expect.objectContaining({
        actions: ['states:CreateStateMachine', 'states:UpdateStateMachine'],
        reason: `reaches arn:AWS::Partition:states:AWS::Region:AWS::AccountId:stateMachine:${registeredStateMachineName('acme', 'x-chain')}`,
      }),
    );
  });
});

describe('tenant isolation of the test runner', () => {
  let templates: Map<string, TemplateJson>;
  let scopes: Map<string, IsolationScope>;

  beforeAll(async () => {
    // GIVEN acme and globex, each deploying a pipeline with a test step, so each stack has a test runner
    const { stacks } = await buildTenantApp({
      tenants: shippedTenants().map((tenant) => ciTenant(tenant)),
      pipelinesDir: testStepPipelines(),
      complete: true,
    });
    const stackOf = (id: string) => stacks.get(id) as TenantStack;
    templates = new Map(TENANTS.map((id) => [id, Template.fromStack(stackOf(id)).toJSON() as TemplateJson]));
    scopes = new Map(TENANTS.map((id) => [id, scopeOf(stackOf(id), id)]));
  }, SYNTH_TIMEOUT_MS);

  /** The template with only the test-runner task role's policy, to match its grants alone. */
  const taskRoleOnly = (tenantId: string): TemplateJson => {
    const template = templates.get(tenantId) as TemplateJson;
    const policies = Object.entries(template.Resources).filter(([id]) =>
      id.startsWith('TestRunnerTaskTaskRole'),
    );
    expect(policies.map(([, resource]) => resource.Type)).toContain('AWS::IAM::Policy');
    return { Resources: { ...noPolicies(template), ...Object.fromEntries(policies) } };
  };

  it.each(TENANTS)('finds no policy of %s reaching past it, its test runner included', (tenantId) => {
    const violations = findIsolationViolations(
      templates.get(tenantId) as TemplateJson,
      scopes.get(tenantId) as IsolationScope,
    );
    expect(violations).toEqual([]);
  });

  it("does not let acme's test-runner task read or write globex's workspaces, specs or runs", () => {
    // GIVEN keys of each tenant that a test runner reads and writes, in acme's bucket: the two stacks'
    // buckets have the same logical id, so only the tenant prefix tells the keys apart
    const bucket = (template: TemplateJson) =>
      Object.keys(template.Resources).find(
        (id) => id.startsWith('ArtifactsBucket') && template.Resources[id]?.Type === 'AWS::S3::Bucket',
      );
    const keysOf = (tenantId: string) =>
      [
        'workspaces/0123/manifest.json',
        'specs/ci/h.json',
        'runs/r-1/changes.json',
        'runs/r-1/steps/verify/test-runs/t.json',
      ].map((key) => `<${bucket(templates.get('acme') as TemplateJson)}.Arn>/tenants/${tenantId}/${key}`);
    // WHEN the task role's grants alone are matched against them
    const reachingGlobex = findGrantsReaching(taskRoleOnly('acme'), keysOf('globex'));
    const reachingAcme = findGrantsReaching(taskRoleOnly('acme'), keysOf('acme'));
    // THEN it reaches every key of acme's (the match is not vacuous) and none of globex's
    expect(reachingGlobex).toEqual([]);
    expect(new Set(reachingAcme.map((grant) => grant.reason))).toEqual(
      new Set(keysOf('acme').map((key) => `reaches ${key}`)),
    );
  });

  it(
    'fails when a copy of the stack grants the test-runner task role a globex prefix',
    async () => {
      // GIVEN a fresh copy of acme's stack whose task role is also granted globex's workspaces
      const { stacks: copies } = await buildTenantApp({
        tenants: [ciTenant(shippedTenants()[0] as TenantConfig)],
        pipelinesDir: testStepPipelines(),
      });
      const copy = copies.get('acme') as TenantStack;
      const role = copy.node
        .findAll()
        .find((c) => c.node.path === 'Elexirion-acme/TestRunner/Task/TaskRole') as iam.Role;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: ['arn:aws:s3:::elexirion-globex-artifacts/tenants/globex/workspaces/*'],
        }),
      );
      // WHEN the check runs on it
      const violations = findIsolationViolations(
        Template.fromStack(copy).toJSON() as TemplateJson,
        scopeOf(copy, 'acme'),
      );
      // THEN it names the grant on globex
      expect(violations).toContainEqual(
        expect.objectContaining({
          resource: 'arn:aws:s3:::elexirion-globex-artifacts/tenants/globex/workspaces/*',
          reason: 'names tenant globex',
        }),
      );
    },
    SYNTH_TIMEOUT_MS,
  );
});

/** Every IAM policy of `template` left out: the resources a grant match renders names against stay. */
function noPolicies(template: TemplateJson): TemplateJson['Resources'] {
  return Object.fromEntries(
    Object.entries(template.Resources).map(([id, resource]) =>
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::Role'
        ? [id, { Type: `${resource.Type}.Omitted` }]
        : [id, resource],
    ),
  );
}

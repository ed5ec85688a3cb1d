/**
 * The tenant-isolation check: walks every IAM policy statement of one tenant's template and reports
 * each grant that reaches past the tenant — another tenant's name anywhere in a resource or
 * condition, a reference to a resource outside the template, a `*` resource for actions that can be
 * scoped, or an S3 or DynamoDB item grant without the tenant's key fence.
 */

/** A CloudFormation template as JSON. */
export type TemplateJson = { readonly Resources: Readonly<Record<string, CfnResource>> };

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** One grant that breaks isolation: where it is and why. */
export interface IsolationViolation {
  /** Logical id of the policy (or role) holding the statement. */
  readonly policy: string;
  readonly actions: readonly string[];
  readonly resource: string;
  readonly reason: string;
}

/**
 * Actions IAM accepts only with `Resource: "*"` (they have no resource-level permissions), so `*`
 * is not a widening for them.
 */
const WILDCARD_ONLY_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'ecr:GetAuthorizationToken',
]);

/** True when every action is one of {@link WILDCARD_ONLY_ACTIONS}. */
function wildcardOnly(actions: readonly string[]): boolean {
  return actions.every((action) => WILDCARD_ONLY_ACTIONS.has(action));
}

/** Pseudo parameters a `Ref` may name without naming a resource. */
const PSEUDO_PARAMETERS = new Set(['AWS::Partition', 'AWS::Region', 'AWS::AccountId', 'AWS::URLSuffix']);

const S3_OBJECT_ACTION = /^s3:(Get|Put|Delete)Object/;
const DYNAMODB_ITEM_ACTION =
  /^dynamodb:(GetItem|BatchGetItem|Query|Scan|PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/;

/** Who the template belongs to, and what it may not reach. */
export interface IsolationScope {
  readonly tenantId: string;
  /** Ids no policy may mention. */
  readonly otherTenants: readonly string[];
  /**
   * Logical ids of tables whose keys are not led by the tenant (the API-key lookup by hash); the
   * table, being the tenant's own, is the fence there.
   */
  readonly tablesKeyedByHash?: readonly string[];
}

/**
 * Every isolation violation in `template`, the stack of `scope.tenantId`. An empty list means the
 * tenant is fenced in.
 *
 * @example
 * expect(findIsolationViolations(acmeTemplate, { tenantId: 'acme', otherTenants: ['globex'] })).toEqual([]);
 */
export function findIsolationViolations(template: TemplateJson, scope: IsolationScope): IsolationViolation[] {
  const { tenantId, otherTenants } = scope;
  const resources = template.Resources;
  const buckets = logicalIdsOf(resources, 'AWS::S3::Bucket');
  const tenantLedTables = logicalIdsOf(resources, 'AWS::DynamoDB::Table').filter(
    (id) => !scope.tablesKeyedByHash?.includes(id),
  );
  const violations: IsolationViolation[] = [];
  for (const [policy, statement] of policyStatements(resources)) {
    if (statement.Effect !== 'Allow') continue;
    const actions = [statement.Action].flat();
    const conditions = JSON.stringify(statement.Condition ?? {});
    for (const raw of [statement.Resource].flat()) {
      const resource = render(raw, resources);
      const report = (reason: string) => violations.push({ policy, actions, resource, reason });
      const foreign = otherTenants.find((other) => mentions(`${resource} ${conditions}`, other));
      if (foreign) report(`names tenant ${foreign}`);
      if (resource.includes('<?')) report('references a resource outside this stack');
      if (resource === '*' && !wildcardOnly(actions)) {
        report('`*` resource for actions that support a scoped resource');
      }
      if (
        buckets.some((id) => resource.startsWith(`<${id}.Arn>/`)) &&
        actions.some((a) => S3_OBJECT_ACTION.test(a))
      ) {
        if (!resource.includes(`/tenants/${tenantId}/`))
          report(`S3 object grant outside tenants/${tenantId}/`);
      }
      if (buckets.some((id) => resource === `<${id}.Arn>`) && actions.includes('s3:ListBucket')) {
        if (!listsUnderTenant(statement, tenantId)) report('s3:ListBucket without the tenant prefix');
      }
      if (
        tenantLedTables.some((id) => resource.startsWith(`<${id}.Arn>`)) &&
        actions.some((a) => DYNAMODB_ITEM_ACTION.test(a)) &&
        !hasLeadingKeysFence(statement, tenantId)
      ) {
        report(`DynamoDB item grant without dynamodb:LeadingKeys TENANT#${tenantId}`);
      }
    }
  }
  return violations;
}

/**
 * The named resource types whose names another tenant's grants could spell with a wildcard, with
 * the property holding the name and the ARNs that name gives (a state machine's also an execution).
 * Partition, region and account stay the pseudo parameters every grant renders them as, so every
 * tenant is in one account: the case where a name pattern reaches furthest.
 */
const NAMED_RESOURCES: Readonly<Record<string, { property: string; arns: (name: string) => string[] }>> = {
  'AWS::StepFunctions::StateMachine': { property: 'StateMachineName', arns: stateMachineArns },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', arns: (name) => [arnOf('logs', `log-group:${name}:*`)] },
  'AWS::SecretsManager::Secret': {
    property: 'Name',
    arns: (name) => [arnOf('secretsmanager', `secret:${name}-AbCdEf`)],
  },
  'AWS::Events::EventBus': { property: 'Name', arns: (name) => [arnOf('events', `event-bus/${name}`)] },
};

function arnOf(service: string, resource: string): string {
  return `arn:AWS::Partition:${service}:AWS::Region:AWS::AccountId:${resource}`;
}

/** A state machine's ARN and one of its executions'. */
function stateMachineArns(name: string): string[] {
  return [arnOf('states', `stateMachine:${name}`), arnOf('states', `execution:${name}:run-1`)];
}

/**
 * The ARNs of a tenant's named resources: those its template names, and the state machines
 * `registered` it registers at run time, which no template holds.
 */
export function namedResourceArns(template: TemplateJson, registered: readonly string[]): string[] {
  const named = Object.values(template.Resources).flatMap((resource) => {
    const kind = NAMED_RESOURCES[resource.Type];
    const name = kind && resource.Properties?.[kind.property];
    return kind && typeof name === 'string' ? kind.arns(name) : [];
  });
  return [...named, ...registered.flatMap(stateMachineArns)];
}

/**
 * Every grant in `template` whose resource matches one of `arns` as IAM matches it (`*` any run of
 * characters, `:` and `/` included; `?` any one), each reported with the ARN it reaches.
 *
 * @example
 * expect(findGrantsReaching(acmeTemplate, namedResourceArns(otherTemplate, []))).toEqual([]);
 */
export function findGrantsReaching(template: TemplateJson, arns: readonly string[]): IsolationViolation[] {
  const violations: IsolationViolation[] = [];
  for (const [policy, statement] of policyStatements(template.Resources)) {
    if (statement.Effect !== 'Allow') continue;
    const actions = [statement.Action].flat();
    for (const raw of [statement.Resource].flat()) {
      const resource = render(raw, template.Resources);
      // These actions act on no resource: their `*` is IAM's only spelling, not a reach.
      if (resource === '*' && wildcardOnly(actions)) continue;
      const pattern = new RegExp(`^${resource.split('*').map(wildcardFree).join('.*')}$`);
      for (const arn of arns.filter((candidate) => pattern.test(candidate))) {
        violations.push({ policy, actions, resource, reason: `reaches ${arn}` });
      }
    }
  }
  return violations;
}

/** A part of an IAM pattern between `*`s as a regular expression: `?` is any one character. */
function wildcardFree(part: string): string {
  return part
    .split('?')
    .map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.');
}

/** Every statement of every identity policy in the template, with the logical id it sits in. */
function policyStatements(resources: TemplateJson['Resources']): [string, Statement][] {
  const found: [string, Statement][] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    const documents =
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
        ? [props.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? ((props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument)
          : [];
    for (const document of documents) {
      for (const statement of [(document as { Statement: Statement | Statement[] }).Statement].flat()) {
        found.push([id, statement]);
      }
    }
  }
  return found;
}

/**
 * A resource as text: `Ref` and `Fn::GetAtt` become `<Id>` and `<Id.Attr>` (`<?Id>` when the id is
 * not in the template), `Fn::Join` is joined, anything else is its JSON.
 */
function render(value: unknown, resources: TemplateJson['Resources']): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) {
    const id = String(node.Ref);
    return PSEUDO_PARAMETERS.has(id) ? id : `<${id in resources ? '' : '?'}${id}>`;
  }
  if ('Fn::GetAtt' in node) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    return `<${id in resources ? '' : '?'}${id}.${attribute}>`;
  }
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => render(part, resources)).join(separator);
  }
  return JSON.stringify(value);
}

/** Whether a ListBucket statement lists only under the tenant's prefix (all of it, or folders of it). */
function listsUnderTenant(statement: Statement, tenantId: string): boolean {
  const prefixes = [statement.Condition?.StringLike?.['s3:prefix'] ?? []].flat();
  return prefixes.length > 0 && prefixes.every((prefix) => String(prefix).startsWith(`tenants/${tenantId}/`));
}

function hasLeadingKeysFence(statement: Statement, tenantId: string): boolean {
  const keys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  const fence = [`TENANT#${tenantId}`, `TENANT#${tenantId}#*`];
  return Array.isArray(keys) && keys.length === fence.length && fence.every((key) => keys.includes(key));
}

/** True when `text` holds `tenantId` as a name of its own (`elexirion-globex-hello` names globex). */
function mentions(text: string, tenantId: string): boolean {
  return new RegExp(`(^|[^a-z0-9])${tenantId}($|[^a-z0-9])`).test(text);
}

function logicalIdsOf(resources: TemplateJson['Resources'], type: string): string[] {
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}

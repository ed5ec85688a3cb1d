import { createHash } from 'node:crypto';

/** Step Functions' limit on a state machine name. */
const MAX_NAME_LENGTH = 80;

/** Hex digits of the hash that ends a cut name. */
const HASH_LENGTH = 12;

/**
 * What a state machine is for: a pipeline shipped with the tenant's stack (`stack`), one registered
 * through its run API (`api`), or a nested pipeline of a shipped one, run as a child execution
 * (`child`, made by the stack too).
 */
type Origin = 'stack' | 'api' | 'child';

/** A pipeline's name or a step's: letters, digits, `_` and `-`, never starting with `-` (see `pipelines/schema.ts`). */
const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The state machine of a pipeline shipped with a tenant's stack: `elexirion-{tenant}_stack_{pipeline}`,
 * as the CDK stack names it. `elexirion dev` deploys its `pipelines/` under the same names.
 *
 * @example
 * shippedStateMachineName('acme', 'chain'); // 'elexirion-acme_stack_chain'
 */
export function shippedStateMachineName(tenantId: string, pipeline: string): string {
  return stateMachineName(tenantId, 'stack', pipeline);
}

/**
 * The state machine of a pipeline registered through the API: `elexirion-{tenant}_api_{pipeline}`.
 * `registeredStateMachineName(tenant, '')` is the prefix every one of them starts with, which IAM
 * grants and event rules match.
 *
 * @example
 * registeredStateMachineName('acme', 'chain'); // 'elexirion-acme_api_chain'
 */
export function registeredStateMachineName(tenantId: string, pipeline: string): string {
  return stateMachineName(tenantId, 'api', pipeline);
}

/**
 * The state machine of a nested pipeline that a shipped pipeline runs as a child execution (a
 * `type: pipeline` step without `config.inline: true`), deployed with its parent:
 * `elexirion-{tenant}_child_{pipeline}-{scope}`, `scope` being the dotted path of nesting steps
 * (`summary`, `summary.inner`) with each `.` written `-`, and each `-` of a name doubled.
 *
 * Never another machine's name: the `child` origin keeps it apart from every shipped and registered
 * pipeline, and the parts decode one way only. No part is empty or starts with `-`, so in a run of
 * `-` the doubled ones are the names' own and an odd one more is the separator
 * (`a-b` + `c` is `a--b-c`, `a` + `b-c` is `a-b--c`). Within a tenant, pipeline names are unique
 * and so are the scopes of one pipeline's nesting steps. Long names are cut like any other.
 *
 * @example
 * childStateMachineName('acme', 'report', 'summary'); // 'elexirion-acme_child_report-summary'
 */
export function childStateMachineName(tenantId: string, pipeline: string, scope: string): string {
  if (!NAME_PART.test(pipeline)) throw new Error(`internal: "${pipeline}" is not a pipeline name`);
  const steps = scope.split('.');
  if (!steps.every((step) => NAME_PART.test(step))) {
    throw new Error(`internal: "${scope}" is not a scope (step names joined by ".")`);
  }
  const path = [pipeline, ...steps].map((part) => part.replaceAll('-', '--')).join('-');
  return stateMachineName(tenantId, 'child', path);
}

/**
 * `elexirion-{tenant}_{origin}_{pipeline}`. Names are matched by prefix (IAM grants, event rules),
 * so no tenant's or origin's prefix may start another's name:
 *
 * - `_` is the one character a state machine name may hold that a tenant id cannot (lowercase
 *   letters, digits and `-`, see `infra/tenant-config.ts`), so the first `_` ends the tenant:
 *   `elexirion-acme_api_*` matches nothing of tenant `acme-api-x` (`elexirion-acme-api-x_…`). With
 *   `-` there, `acme`'s prefix `elexirion-acme-api-` matched every machine of `acme-api-x`.
 * - The origin is a fixed word and its own `_`, so no pipeline name (which may hold `_` and `-`)
 *   makes a stack machine's name look registered or the other way round.
 * - A name of 80 characters or more (Step Functions' limit) is cut to exactly 80, ending in `-` and
 *   a hash of the whole name; an uncut name is shorter, so it never equals a cut one. The cut keeps
 *   the whole prefix (at most 37 characters, tenant ids having at most 20).
 */
function stateMachineName(tenantId: string, origin: Origin, pipeline: string): string {
  const name = `elexirion-${tenantId}_${origin}_${pipeline}`;
  if (name.length < MAX_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  return `${name.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)}-${hash}`;
}

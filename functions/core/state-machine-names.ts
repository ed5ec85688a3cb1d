import { createHash } from 'node:crypto';

/** Step Functions' limit on a state machine name. */
const MAX_NAME_LENGTH = 80;

/**
 * The state machine of a pipeline shipped with a tenant's stack: `elexirion-{tenant}-{pipeline}`,
 * as the CDK stack names it. `elexirion dev` deploys its `pipelines/` under the same names.
 */
export function shippedStateMachineName(tenantId: string, pipeline: string): string {
  return `elexirion-${tenantId}-${pipeline}`;
}

/**
 * The state machine of a pipeline registered through the API: `elexirion-{tenant}-api-{pipeline}`,
 * apart from the shipped machines so a registration never changes one the stack owns. Names over
 * Step Functions' 80 characters are cut and end in a hash of the whole name, so they stay distinct.
 *
 * @example
 * registeredStateMachineName('acme', 'chain'); // 'elexirion-acme-api-chain'
 */
export function registeredStateMachineName(tenantId: string, pipeline: string): string {
  const name = `elexirion-${tenantId}-api-${pipeline}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_NAME_LENGTH - hash.length - 1)}-${hash}`;
}

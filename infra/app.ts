/**
 * The CDK app: one `Elexirion-<tenant>` stack per tenant of `infra/tenants.yaml`, or of
 * `-c tenants=a,b` (default settings each). Synthesizes offline: no Docker (local esbuild), no AWS
 * credentials (environment-agnostic stacks, no lookups).
 *
 * Run: npx cdk synth -c tenants=acme,globex
 */
import { App } from 'aws-cdk-lib';
import { compileTenantPipelines } from './compiled-pipelines.js';
import { readTenantsFile, tenantsFromContext } from './tenant-config.js';
import { TenantStack, tenantStackName } from './tenant-stack.js';

const PIPELINES_DIR = 'pipelines';
const app = new App();
const fromContext: unknown = app.node.tryGetContext('tenants');
const tenants =
  typeof fromContext === 'string'
    ? tenantsFromContext(fromContext, PIPELINES_DIR)
    : readTenantsFile('infra/tenants.yaml', PIPELINES_DIR);
const pipelines = await compileTenantPipelines(tenants, PIPELINES_DIR);

for (const tenant of tenants) {
  new TenantStack(app, tenantStackName(tenant.id), { tenant, pipelines: pipelines.get(tenant.id) ?? [] });
}

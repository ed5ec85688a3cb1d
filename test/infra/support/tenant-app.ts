import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { compileTenantPipelines } from '../../../infra/compiled-pipelines.js';
import { readTenantsFile, type TenantConfig } from '../../../infra/tenant-config.js';
import { TenantStack, tenantStackName } from '../../../infra/tenant-stack.js';

/**
 * How long a suite may take to synthesize its app: a few seconds alone, but the suites share two
 * cores with the rest of the test run.
 */
export const SYNTH_TIMEOUT_MS = 120_000;

/** Where the tests find the pipelines, as `infra/app.ts` does. */
export const PIPELINES_DIR = 'pipelines';

/**
 * The tenants the tests deploy: those of `infra/tenants.yaml` (acme with chain, hello and report,
 * whose nested pipeline is a child state machine; globex with hello).
 */
export function shippedTenants(): TenantConfig[] {
  return readTenantsFile('infra/tenants.yaml', PIPELINES_DIR);
}

/** Options of {@link synthTenantApp}. */
export interface TenantAppOptions {
  readonly tenants?: readonly TenantConfig[];
  /** Where the tenants' pipeline paths are. @default PIPELINES_DIR */
  readonly pipelinesDir?: string;
  /** Register cdk-nag's AwsSolutions checks as a validation plugin. */
  readonly nag?: boolean;
  /**
   * Wire the optimizer schedule even while `optimizer/` has no Dockerfile, from a throwaway build
   * context (synth only copies and hashes it).
   */
  readonly complete?: boolean;
}

/** A build context with a Dockerfile; synth only copies and hashes it. */
function standInImage(): ecs.ContainerImage {
  const dir = mkdtempSync(join(tmpdir(), 'elexirion-optimizer-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM public.ecr.aws/docker/library/python:3.12-slim\n');
  return ecs.ContainerImage.fromAsset(dir);
}

/** An app with one tenant stack per tenant, built as `infra/app.ts` builds it. */
export interface TenantApp {
  readonly app: App;
  readonly stacks: ReadonlyMap<string, TenantStack>;
}

/**
 * Builds the CDK app the way `infra/app.ts` does, for tests: the same tenant stacks from the same
 * compiled pipelines, with bundling skipped (`aws:cdk:bundling-stacks: []`).
 */
export async function buildTenantApp(options: TenantAppOptions = {}): Promise<TenantApp> {
  const tenants = options.tenants ?? shippedTenants();
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const pipelines = await compileTenantPipelines(tenants, options.pipelinesDir ?? PIPELINES_DIR);
  const stacks = new Map(
    tenants.map((tenant) => [
      tenant.id,
      new TenantStack(app, tenantStackName(tenant.id), {
        tenant,
        pipelines: pipelines.get(tenant.id) ?? [],
        ...(options.complete ? { optimizerImage: standInImage() } : {}),
      }),
    ]),
  );
  return { app, stacks };
}

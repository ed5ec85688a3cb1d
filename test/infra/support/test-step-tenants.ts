import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantConfig } from '../../../infra/tenant-config.js';

/**
 * Tenants whose pipeline has a `type: test` step, so their stacks hold a test runner (no shipped
 * example has one): a pipelines folder made for the test, and a tenant deploying its `ci.yaml`.
 */

/** A new folder of pipelines holding `ci.yaml`, one test step; pass it as `pipelinesDir`. */
export function testStepPipelines(): string {
  const dir = mkdtempSync(join(tmpdir(), 'elexirion-test-step-pipelines-'));
  writeFileSync(
    join(dir, 'ci.yaml'),
    ['workflow:', '  name: ci', '  steps:', '    - {name: verify, type: test, command: npm test}', ''].join(
      '\n',
    ),
  );
  return dir;
}

/** `tenant` deploying `ci.yaml` only, its tests on `image` when given. */
export function ciTenant(tenant: TenantConfig, image?: string): TenantConfig {
  return { ...tenant, pipelines: ['ci.yaml'], ...(image === undefined ? {} : { test_runner_image: image }) };
}

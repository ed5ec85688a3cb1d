import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTenantPipelines } from '../../infra/compiled-pipelines.js';
import { tenantsFromContext } from '../../infra/tenant-config.js';
import { TenantStack, tenantStackName } from '../../infra/tenant-stack.js';
import { PIPELINES_DIR, SYNTH_TIMEOUT_MS } from './support/tenant-app.js';

describe('Lambda bundling', () => {
  let bundles: string[];
  let stepRunnerBundle: string;
  let machines: number;
  let examples: number;

  beforeAll(async () => {
    // GIVEN one tenant with the default settings (every example pipeline), its functions bundled for
    // real with the project's own esbuild (no Docker)
    const [tenant] = tenantsFromContext('solo', PIPELINES_DIR);
    if (!tenant) throw new Error('no tenant');
    const pipelines = await compileTenantPipelines([tenant], PIPELINES_DIR);
    const app = new App();
    new TenantStack(app, tenantStackName(tenant.id), { tenant, pipelines: pipelines.get(tenant.id) ?? [] });
    // WHEN the app synthesizes
    const assembly = app.synth();
    const { directory } = assembly;
    bundles = readdirSync(directory)
      .filter((name) => name.startsWith('asset.') && existsSync(join(directory, name, 'index.mjs')))
      .map((name) => join(directory, name, 'index.mjs'));
    // The step runner's bundle is the asset its function's code points at.
    interface FunctionProperties {
      readonly Code: { readonly S3Key: string };
      readonly Environment?: { readonly Variables?: Record<string, unknown> };
    }
    const template = assembly.getStackArtifact(tenantStackName(tenant.id)).template as {
      Resources: Record<string, { Type: string; Properties: FunctionProperties }>;
    };
    // One machine per pipeline; the child machines of nested pipelines are counted apart.
    const names = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')
      .map((r) => String((r.Properties as { StateMachineName?: unknown }).StateMachineName));
    machines = names.filter((name) => !name.includes('_child_')).length;
    examples = tenant.pipelines.length;
    const runner = Object.values(template.Resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'elexirion-step-runner',
    );
    stepRunnerBundle = join(
      directory,
      `asset.${runner?.Properties.Code.S3Key.replace(/\.zip$/, '')}`,
      'index.mjs',
    );
  }, SYNTH_TIMEOUT_MS);

  it('deploys every shipped example, the default of a tenant named with -c tenants=…', () => {
    expect(examples).toBeGreaterThanOrEqual(2);
    expect(machines).toBe(examples);
  });

  it('writes ESM bundles that start with the createRequire banner Powertools Tracer needs', () => {
    expect(bundles.length).toBeGreaterThanOrEqual(1);
    for (const bundle of bundles) {
      expect(readFileSync(bundle, 'utf8')).toMatch(
        /^import \{ createRequire \} from 'module';const require = createRequire\(import\.meta\.url\);/,
      );
    }
  });

  it('produces a step-runner bundle that loads and exports its handler', () => {
    // GIVEN the configuration the stack gives the step runner
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      TENANT_ID: 'solo',
      ARTIFACT_BUCKET: 'bucket',
      RUNS_TABLE: 'runs',
      ATTEMPTS_TABLE: 'attempts',
      ANTHROPIC_KEY_SECRET: 'elexirion/solo/anthropic',
    };
    expect(bundles).toContain(stepRunnerBundle);
    // WHEN Node imports the bundle (no dynamic require of a built-in may fail at load)
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(stepRunnerBundle)}); console.log(typeof m.handler);`,
      ],
      { env, encoding: 'utf8' },
    );
    // THEN the handler is there
    expect(loaded.trim()).toBe('function');
  });
});

import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { CatalogEntry, PipelineCatalog, PipelineSummary } from '../ports/pipeline-catalog.js';
import type { DeployedPipelines } from '../runs/deployed-pipelines.js';

/**
 * The pipelines deployed with a tenant's stack (`DEPLOYED_PIPELINES`): their state machines exist
 * and their spec bundles are in S3. They belong to the stack's tenant; other tenants see none.
 *
 * @example
 * const catalog = new DeployedPipelineCatalog('acme', readDeployedPipelines(process.env), loadBundle);
 */
export class DeployedPipelineCatalog implements PipelineCatalog {
  constructor(
    private readonly tenantId: string,
    private readonly deployed: DeployedPipelines,
    private readonly loadBundle: (key: string) => Promise<SpecBundle>,
  ) {}

  async get(tenantId: string, name: string): Promise<CatalogEntry | undefined> {
    const deployed = tenantId === this.tenantId ? this.deployed[name] : undefined;
    if (!deployed) return undefined;
    const bundle = await this.loadBundle(deployed.bundleKey);
    return { ...bundleSummary(name, bundle), bundle, stateMachine: deployed.stateMachine };
  }

  async list(tenantId: string): Promise<PipelineSummary[]> {
    if (tenantId !== this.tenantId) return [];
    return Promise.all(
      Object.entries(this.deployed).map(async ([name, { bundleKey }]) =>
        bundleSummary(name, await this.loadBundle(bundleKey)),
      ),
    );
  }
}

/** A bundle names its inputs and its step-runner steps (Pass-state steps are compiled away). */
export function bundleSummary(name: string, bundle: SpecBundle): PipelineSummary {
  return { name, inputs: bundle.inputs, steps: Object.keys(bundle.steps), source: 'shipped' };
}

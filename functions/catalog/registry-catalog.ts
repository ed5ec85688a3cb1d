import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { CatalogEntry, PipelineCatalog, PipelineSummary } from '../ports/pipeline-catalog.js';
import type { PipelineRecord, PipelineRegistry } from '../ports/registered-pipelines.js';

/**
 * The pipelines a tenant registered through `PUT /v1/pipelines/{name}`: their records in the run
 * store, their bundles in S3.
 *
 * @example
 * const catalog = new RegistryPipelineCatalog(runs, cachedBundleLoader(artifacts));
 */
export class RegistryPipelineCatalog implements PipelineCatalog {
  constructor(
    private readonly registry: PipelineRegistry,
    private readonly loadBundle: (key: string) => Promise<SpecBundle>,
  ) {}

  async get(tenantId: string, name: string): Promise<CatalogEntry | undefined> {
    const record = await this.registry.getPipeline(tenantId, name);
    if (!record) return undefined;
    return {
      ...summaryOf(record),
      bundle: await this.loadBundle(record.bundleKey),
      stateMachine: record.stateMachine,
    };
  }

  async list(tenantId: string): Promise<PipelineSummary[]> {
    return (await this.registry.listPipelines(tenantId)).map(summaryOf);
  }
}

function summaryOf(record: PipelineRecord): PipelineSummary {
  return {
    name: record.name,
    ...(record.description === undefined ? {} : { description: record.description }),
    inputs: record.inputs,
    steps: record.steps,
    source: 'registered',
    updatedAt: record.updatedAt,
  };
}

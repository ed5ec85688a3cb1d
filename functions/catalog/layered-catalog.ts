import type { CatalogEntry, PipelineCatalog, PipelineSummary } from '../ports/pipeline-catalog.js';

/**
 * Several catalogs as one: a name resolves in the first catalog that has it, so registered
 * pipelines (listed first) override shipped files of the same name.
 *
 * @example
 * const catalog = layeredCatalog([registry, files]);
 */
export function layeredCatalog(catalogs: readonly PipelineCatalog[]): PipelineCatalog {
  return {
    async get(tenantId: string, name: string): Promise<CatalogEntry | undefined> {
      for (const catalog of catalogs) {
        const entry = await catalog.get(tenantId, name);
        if (entry) return entry;
      }
      return undefined;
    },
    async list(tenantId: string): Promise<PipelineSummary[]> {
      const lists = await Promise.all(catalogs.map((catalog) => catalog.list(tenantId)));
      const byName = new Map<string, PipelineSummary>();
      for (const summary of lists.flat()) if (!byName.has(summary.name)) byName.set(summary.name, summary);
      return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    },
  };
}

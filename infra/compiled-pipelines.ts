import { join } from 'node:path';
import type { AslObject, ChildStateMachine, SpecBundle } from '../pipelines/contract/spec-bundle.js';
import { formatIssues } from '../pipelines/format-issues.js';
import { loadPipeline } from '../pipelines/loader.js';
import { compilePipeline } from '../statemachines/compile.js';
import type { TenantConfig } from './tenant-config.js';

/**
 * A pipeline as a stack deploys it: the compiled ASL (placeholders intact), its spec bundle (the
 * specs of its nested pipelines included, under their scopes) and its child state machines.
 */
export interface CompiledPipeline {
  /** The workflow's name; it names the state machine. */
  readonly name: string;
  /** The path under `pipelines/` it was loaded from. */
  readonly path: string;
  readonly asl: AslObject;
  readonly bundle: SpecBundle;
  /**
   * The state machines of its nested pipelines that run as child executions, every level of
   * nesting, sorted by scope; each definition names those it starts by their placeholders.
   */
  readonly children: readonly ChildStateMachine[];
}

/**
 * Loads and compiles every pipeline the tenants deploy, each file once, with the same loader and
 * compiler the CLI uses. A pipeline that does not load or compile stops the synth with its
 * `FILE:LINE:COL` issues.
 *
 * @returns the compiled pipelines of each tenant, keyed by tenant id, in the order the tenant lists them.
 * @example
 * const byTenant = await compileTenantPipelines(tenants, 'pipelines');
 * byTenant.get('acme'); // [{ name: 'chain', asl, bundle, … }, …]
 */
export async function compileTenantPipelines(
  tenants: readonly TenantConfig[],
  pipelinesDir: string,
): Promise<ReadonlyMap<string, readonly CompiledPipeline[]>> {
  const paths = [...new Set(tenants.flatMap((tenant) => tenant.pipelines))];
  const compiled = new Map(
    await Promise.all(paths.map(async (path) => [path, await compileFile(pipelinesDir, path)] as const)),
  );
  return new Map(
    tenants.map((tenant) => [
      tenant.id,
      tenant.pipelines.map((path) => compiled.get(path) as CompiledPipeline),
    ]),
  );
}

async function compileFile(pipelinesDir: string, path: string): Promise<CompiledPipeline> {
  const file = join(pipelinesDir, path);
  const loaded = await loadPipeline(file);
  const compiled = loaded.pipeline ? compilePipeline(loaded.pipeline) : undefined;
  if (!compiled?.asl || !compiled.bundle) {
    const issues = compiled?.issues ?? loaded.issues;
    throw new Error(`${file} cannot be deployed:\n${formatIssues(file, loaded.source, issues)}`);
  }
  const { asl, bundle } = compiled;
  return { name: bundle.pipeline, path, asl, bundle, children: compiled.children ?? [] };
}

import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { InputDecl } from '../../pipelines/contract/step-options.js';

/**
 * Where a pipeline a tenant can start comes from: registered through the API at run time, or
 * shipped (deployed with the tenant's stack; under `pipelines/` for `elexirion dev`).
 */
export type PipelineSource = 'registered' | 'shipped';

/** A pipeline as listed: enough to call it, without its compiled bundle. */
export interface PipelineSummary {
  readonly name: string;
  readonly description?: string;
  readonly inputs: Readonly<Record<string, InputDecl>>;
  readonly steps: readonly string[];
  readonly source: PipelineSource;
  readonly updatedAt?: string;
}

/** A pipeline ready to start: its spec bundle and the state machine that runs it. */
export interface CatalogEntry extends PipelineSummary {
  readonly bundle: SpecBundle;
  /** ARN of the state machine that runs it. */
  readonly stateMachine: string;
}

/**
 * The pipelines a tenant can start: those registered through the API, and those shipped with the
 * deployment (or, for `elexirion dev`, under `pipelines/`).
 *
 * @example
 * const entry = await catalog.get('acme', 'chain'); // undefined when acme has no such pipeline
 */
export interface PipelineCatalog {
  get(tenantId: string, name: string): Promise<CatalogEntry | undefined>;
  /** By name; a name is listed once, from the first source that has it. */
  list(tenantId: string): Promise<PipelineSummary[]>;
}

import type { InputDecl } from '../../pipelines/contract/step-options.js';

/** A pipeline registered at run time (`PUT /v1/pipelines/{name}`). */
export interface PipelineRecord {
  readonly tenantId: string;
  readonly name: string;
  readonly description?: string;
  /** S3 key of the compiled spec bundle. */
  readonly bundleKey: string;
  readonly bundleHash: string;
  /** ARN of the state machine that runs it. */
  readonly stateMachine: string;
  /** Declared inputs and step names in order, for listings that should not read the bundle. */
  readonly inputs: Readonly<Record<string, InputDecl>>;
  readonly steps: readonly string[];
  readonly updatedAt: string;
}

/**
 * The pipelines a tenant registered through the API (part of the `RunStore`); their bundles are in
 * the artifact store.
 *
 * @example
 * const record = await registry.getPipeline('acme', 'chain');
 */
export interface PipelineRegistry {
  /** Registers a pipeline, or replaces its earlier registration. */
  putPipeline(pipeline: PipelineRecord): Promise<void>;
  getPipeline(tenantId: string, name: string): Promise<PipelineRecord | undefined>;
  /** Registered pipelines by name. */
  listPipelines(tenantId: string): Promise<PipelineRecord[]>;
}

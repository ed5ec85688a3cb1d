/** A prompt pack stored in S3, by version. */
export interface PackRef {
  readonly version: string;
  /** S3 key of the pack document (`artifactKeys.promptPack`). */
  readonly packKey: string;
}

/**
 * The registry's pointer for one step: the pack runs render with, and a candidate serving a share of
 * runs until live scores confirm it. The optimizer writes it (`optimizer/…/job.py`); absent fields mean
 * no pack is active (the step renders its own prompt) or no canary runs.
 */
export interface PackPointer {
  readonly active?: PackRef;
  readonly canary?: PackRef & {
    /** The share of runs, from 0 to 1, that render with the canary. */
    readonly share: number;
    readonly since: string;
  };
}

/**
 * Where prompt packs are found: the registry pointer in DynamoDB and the documents in S3. The runtime
 * only reads; the compile job writes.
 *
 * @example
 * const pointer = await store.getPointer('acme', 'support', 'classify');
 * const pack = pointer?.active && (await store.getPack(pointer.active.packKey));
 */
export interface PromptPackStore {
  getPointer(tenantId: string, pipeline: string, stepId: string): Promise<PackPointer | undefined>;
  /** The pack document as stored, unvalidated. */
  getPack(packKey: string): Promise<unknown>;
}

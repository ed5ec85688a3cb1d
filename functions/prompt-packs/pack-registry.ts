import { createHash } from 'node:crypto';
import type { PackPointer, PackRef, PromptPackStore } from '../ports/prompt-pack-store.js';
import { type BoundedCache, boundedCache } from '../shared/bounded-cache.js';
import { PromptPackInvalidError } from '../shared/errors.js';
import { goldenMismatch } from './chat-adapter.js';
import { type PromptPack, PromptPackSchema } from './pack-schema.js';

/** How long a step's pointer is reused before it is read again: a promotion shows up within this. */
export const POINTER_CACHE_MS = 60_000;

/** Pointers (one per tenant, pipeline and step) and packs kept per process at most. */
const MAX_CACHED_POINTERS = 1000;
const MAX_CACHED_PACKS = 256;

/** Options of {@link PromptPackRegistry}. */
export interface PromptPackRegistryOptions {
  /**
   * Milliseconds a pointer is cached.
   * @default 60000
   */
  readonly pointerCacheMs?: number;
  /**
   * The clock, in epoch milliseconds.
   * @default - Date.now
   */
  readonly now?: () => number;
}

/** Where a step's step id sits: its tenant, pipeline and run. */
export interface PackScope {
  readonly tenantId: string;
  readonly pipeline: string;
  readonly stepId: string;
  readonly runId: string;
}

/**
 * The prompt packs steps render with. Pointers are cached for a minute (one read per step per
 * container and minute); packs are cached until evicted (the least recently used of more than 256),
 * since a version is a content hash. A pack is
 * validated and its golden samples re-rendered before first use, so a pack the runtime would render
 * differently from DSPy is refused (`PromptPack.Invalid`) instead of sent.
 *
 * @example
 * const registry = new PromptPackRegistry(new DynamoPromptPackStore(db, tables.runs, artifacts));
 * const pack = await registry.packFor({ tenantId, pipeline, stepId, runId });
 */
export class PromptPackRegistry {
  private readonly pointers: BoundedCache<string, { readonly pointer?: PackPointer }>;
  private readonly packs = boundedCache<string, Promise<PromptPack>>({ maxSize: MAX_CACHED_PACKS });

  constructor(
    private readonly store: PromptPackStore,
    options: PromptPackRegistryOptions = {},
  ) {
    this.pointers = boundedCache({
      maxSize: MAX_CACHED_POINTERS,
      ttlMs: options.pointerCacheMs ?? POINTER_CACHE_MS,
      now: options.now ?? Date.now,
    });
  }

  /** The step's active pack; undefined while none is promoted. */
  async activePack(tenantId: string, pipeline: string, stepId: string): Promise<PromptPack | undefined> {
    const pointer = await this.pointer(tenantId, pipeline, stepId);
    return pointer?.active && this.pack(pointer.active, { tenantId, pipeline, stepId });
  }

  /**
   * The pack a run renders the step with: the canary for its share of runs, chosen by a hash of the
   * run and step ids (so retries and redrives of a run choose alike), else the active pack.
   */
  async packFor(scope: PackScope): Promise<PromptPack | undefined> {
    const pointer = await this.pointer(scope.tenantId, scope.pipeline, scope.stepId);
    const canary = pointer?.canary;
    const chosen = canary && inCanary(scope.runId, scope.stepId, canary.share) ? canary : pointer?.active;
    return chosen && this.pack(chosen, scope);
  }

  private async pointer(
    tenantId: string,
    pipeline: string,
    stepId: string,
  ): Promise<PackPointer | undefined> {
    const key = `${tenantId}\0${pipeline}\0${stepId}`;
    const cached = this.pointers.get(key);
    if (cached) return cached.pointer;
    const pointer = await this.store.getPointer(tenantId, pipeline, stepId);
    this.pointers.set(key, pointer ? { pointer } : {});
    return pointer;
  }

  private pack(ref: PackRef, owner: Omit<PackScope, 'runId'>): Promise<PromptPack> {
    // A failed read is not cached (getOrSet drops a rejected promise): the next call tries again.
    return this.packs.getOrSet(ref.packKey, () =>
      this.store.getPack(ref.packKey).then((raw) => verifiedPack(raw, ref, owner)),
    );
  }
}

/** True for the share of (run, step) pairs that render with the canary. */
export function inCanary(runId: string, stepId: string, share: number): boolean {
  const digest = createHash('sha256').update(`${runId}\0${stepId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < share;
}

/** A pack that parses, belongs to the step, and renders its golden samples exactly as DSPy did. */
function verifiedPack(raw: unknown, ref: PackRef, owner: Omit<PackScope, 'runId'>): PromptPack {
  const parsed = PromptPackSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PromptPackInvalidError(
      `prompt pack ${ref.packKey} is malformed: ${parsed.error.issues[0]?.message}`,
    );
  }
  const pack = parsed.data;
  if (
    pack.version !== ref.version ||
    pack.tenantId !== owner.tenantId ||
    pack.pipeline !== owner.pipeline ||
    pack.stepId !== owner.stepId
  ) {
    throw new PromptPackInvalidError(
      `prompt pack ${ref.packKey} is ${pack.version} of ${pack.tenantId}/${pack.pipeline}/${pack.stepId}, ` +
        `not ${ref.version} of ${owner.tenantId}/${owner.pipeline}/${owner.stepId}`,
    );
  }
  const mismatch = goldenMismatch(pack);
  if (mismatch !== undefined) {
    throw new PromptPackInvalidError(
      `prompt pack ${pack.version} renders golden sample ${mismatch} differently from DSPy ${pack.dependencies.dspy}`,
    );
  }
  return pack;
}

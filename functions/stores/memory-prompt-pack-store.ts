import type { PackPointer, PromptPackStore } from '../ports/prompt-pack-store.js';

/**
 * Prompt packs in memory, for unit tests and offline tools; `set` stands in for the optimizer's writes.
 *
 * @example
 * const store = new MemoryPromptPackStore();
 * store.set('acme', 'support', 'classify', { active: { version, packKey } }, { [packKey]: pack });
 */
export class MemoryPromptPackStore implements PromptPackStore {
  private readonly pointers = new Map<string, PackPointer>();
  private readonly packs = new Map<string, unknown>();

  /** Points a step at packs, and stores pack documents by key. */
  set(
    tenantId: string,
    pipeline: string,
    stepId: string,
    pointer: PackPointer,
    packs: Readonly<Record<string, unknown>> = {},
  ): void {
    this.pointers.set(pointerKey(tenantId, pipeline, stepId), structuredClone(pointer));
    for (const [key, pack] of Object.entries(packs)) this.packs.set(key, structuredClone(pack));
  }

  async getPointer(tenantId: string, pipeline: string, stepId: string): Promise<PackPointer | undefined> {
    const pointer = this.pointers.get(pointerKey(tenantId, pipeline, stepId));
    return pointer === undefined ? undefined : structuredClone(pointer);
  }

  async getPack(packKey: string): Promise<unknown> {
    if (!this.packs.has(packKey)) throw new Error(`no prompt pack at ${packKey}`);
    return structuredClone(this.packs.get(packKey));
  }
}

function pointerKey(tenantId: string, pipeline: string, stepId: string): string {
  return `${tenantId}/${pipeline}/${stepId}`;
}

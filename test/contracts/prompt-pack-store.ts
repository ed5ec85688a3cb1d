import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PackPointer, PromptPackStore } from '../../functions/ports/prompt-pack-store.js';

/** Registry data to put in place, as the optimizer writes it, before a store is read. */
export interface PromptPackSeed {
  readonly tenantId: string;
  readonly pipeline: string;
  readonly stepId: string;
  readonly pointer: PackPointer;
  readonly packs: Readonly<Record<string, unknown>>;
}

/** How a contract run gets a store: seeded with `seed` (the optimizer's writes), then read. */
export interface PromptPackStoreContractOptions {
  readonly create: (seed?: PromptPackSeed) => PromptPackStore | Promise<PromptPackStore>;
}

/**
 * The behaviour every `PromptPackStore` adapter shares: it reads the pointer and the pack documents
 * the optimizer writes.
 */
export function describePromptPackStore({ create }: PromptPackStoreContractOptions): void {
  describe('PromptPackStore contract', () => {
    const tenantId = `t-${randomUUID()}`;
    const active = {
      version: 'pack:000000000001',
      packKey: `tenants/${tenantId}/prompt-packs/p/s/pack:000000000001.json`,
    };
    const canary = {
      version: 'pack:000000000002',
      packKey: `tenants/${tenantId}/prompt-packs/p/s/pack:000000000002.json`,
    };

    it('reads no pointer for a step without packs', async () => {
      const store = await create();

      expect(await store.getPointer(tenantId, 'p', 'nothing')).toBeUndefined();
    });

    it('reads the active pack and the canary with its share, and the pack documents', async () => {
      // Prepare
      const pointer = { active, canary: { ...canary, share: 0.25, since: '2026-11-26T00:00:00.000Z' } };
      const store = await create({
        tenantId,
        pipeline: 'p',
        stepId: 's',
        pointer,
        packs: { [active.packKey]: { version: active.version, nested: { n: 1.5 } } },
      });

      // Act / Assess
      expect(await store.getPointer(tenantId, 'p', 's')).toStrictEqual(pointer);
      expect(await store.getPack(active.packKey)).toStrictEqual({
        version: active.version,
        nested: { n: 1.5 },
      });
      expect(await store.getPointer(`${tenantId}-other`, 'p', 's')).toBeUndefined();
    });

    it('reads a pointer with only an active pack', async () => {
      const store = await create({ tenantId, pipeline: 'p', stepId: 'only', pointer: { active }, packs: {} });

      expect(await store.getPointer(tenantId, 'p', 'only')).toStrictEqual({ active });
    });
  });
}

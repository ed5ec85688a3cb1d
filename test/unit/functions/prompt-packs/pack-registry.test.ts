import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inCanary, PromptPackRegistry } from '../../../../functions/prompt-packs/pack-registry.js';
import type { PromptPack } from '../../../../functions/prompt-packs/pack-schema.js';
import { MemoryPromptPackStore } from '../../../../functions/stores/memory-prompt-pack-store.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';

const PACK = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../fixtures/dspy-golden/classify.json'), 'utf8'),
).pack as PromptPack;
const ACTIVE = { version: PACK.version, packKey: 'packs/active.json' };
const CANARY = { version: 'pack:00000000000c', packKey: 'packs/canary.json' };
const CANARY_PACK = { ...PACK, version: CANARY.version };

/** A store that counts its reads. */
class CountingStore extends MemoryPromptPackStore {
  pointerReads = 0;
  packReads = 0;
  override getPointer(tenantId: string, pipeline: string, stepId: string) {
    this.pointerReads++;
    return super.getPointer(tenantId, pipeline, stepId);
  }
  override getPack(packKey: string) {
    this.packReads++;
    return super.getPack(packKey);
  }
}

function registry(pointer: Parameters<MemoryPromptPackStore['set']>[3], packs: Record<string, unknown>) {
  const store = new CountingStore();
  store.set('golden', 'golden', 'classify', pointer, packs);
  let now = 0;
  const clock = { advance: (ms: number) => (now += ms) };
  return { store, clock, packs: new PromptPackRegistry(store, { pointerCacheMs: 1000, now: () => now }) };
}

const scope = (runId: string) => ({ tenantId: 'golden', pipeline: 'golden', stepId: 'classify', runId });

describe('PromptPackRegistry', () => {
  it('has no pack for a step nobody optimized', async () => {
    const { packs } = registry({}, {});

    expect(await packs.activePack('golden', 'golden', 'other')).toBeUndefined();
  });

  it('reads a pointer once per cache period and a pack once for good', async () => {
    // Prepare
    const { packs, store, clock } = registry({ active: ACTIVE }, { [ACTIVE.packKey]: PACK });

    // Act
    const first = await packs.activePack('golden', 'golden', 'classify');
    await packs.activePack('golden', 'golden', 'classify');
    clock.advance(1001);
    await packs.activePack('golden', 'golden', 'classify');

    // Assess
    expect(first?.version).toBe(PACK.version);
    expect(store.pointerReads).toBe(2);
    expect(store.packReads).toBe(1);
  });

  it('sends the canary its share of runs, the same choice every time for a run', async () => {
    // Prepare
    const canary = { ...CANARY, share: 0.3, since: '2026-11-26T00:00:00.000Z' };
    const { packs } = registry(
      { active: ACTIVE, canary },
      { [ACTIVE.packKey]: PACK, [CANARY.packKey]: CANARY_PACK },
    );
    const runIds = Array.from({ length: 400 }, (_, i) => `run-${i}`);

    // Act
    const versions = await Promise.all(runIds.map(async (id) => (await packs.packFor(scope(id)))?.version));
    const again = await Promise.all(runIds.map(async (id) => (await packs.packFor(scope(id)))?.version));

    // Assess
    const share = versions.filter((v) => v === CANARY.version).length / runIds.length;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.38);
    expect(again).toStrictEqual(versions);
    expect(versions.filter((v) => v === PACK.version).length).toBe(runIds.length - share * runIds.length);
  });

  it('decides canary membership by run and step', () => {
    expect(inCanary('r1', 's', 1)).toBe(true);
    expect(inCanary('r1', 's', 0)).toBe(false);
    expect(inCanary('r1', 's', 0.5)).toBe(inCanary('r1', 's', 0.5));
  });

  it.each([
    ['a malformed pack', { ...PACK, rendered: undefined }, /malformed/],
    ['a pack of another step', { ...PACK, stepId: 'other' }, /not pack:/],
    [
      'a pack the runtime renders differently',
      { ...PACK, rendered: { ...PACK.rendered, system: 'changed' } },
      /golden sample 0/,
    ],
  ])('refuses %s as PromptPack.Invalid', async (_what, pack, message) => {
    const { packs } = registry({ active: ACTIVE }, { [ACTIVE.packKey]: pack });

    await expect(packs.activePack('golden', 'golden', 'classify')).rejects.toMatchObject({
      name: ErrorName.PromptPackInvalid,
      message: expect.stringMatching(message),
    });
  });

  it('reads a pack again after a failed read', async () => {
    // Prepare
    const { packs, store } = registry({ active: ACTIVE }, {});

    // Act
    await expect(packs.activePack('golden', 'golden', 'classify')).rejects.toThrow(/no prompt pack/);
    store.set('golden', 'golden', 'classify', { active: ACTIVE }, { [ACTIVE.packKey]: PACK });

    // Assess
    expect((await packs.activePack('golden', 'golden', 'classify'))?.version).toBe(PACK.version);
  });
});

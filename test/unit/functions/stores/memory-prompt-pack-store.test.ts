import { MemoryPromptPackStore } from '../../../../functions/stores/memory-prompt-pack-store.js';
import { describePromptPackStore } from '../../../contracts/prompt-pack-store.js';

describePromptPackStore({
  create(seed) {
    const store = new MemoryPromptPackStore();
    if (seed) store.set(seed.tenantId, seed.pipeline, seed.stepId, seed.pointer, seed.packs);
    return store;
  },
});

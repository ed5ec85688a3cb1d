import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import { describeRunStore } from '../../../contracts/run-store.js';

describeRunStore({ create: () => new MemoryRunStore() });

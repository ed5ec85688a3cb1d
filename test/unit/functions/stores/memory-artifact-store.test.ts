import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { describeArtifactStore } from '../../../contracts/artifact-store.js';

describeArtifactStore({ create: () => new MemoryArtifactStore() });

import { MemoryArtifactStore } from '../../../../../functions/core/stores/memory-artifact-store.js';
import { describeArtifactStore } from '../../../../contracts/artifact-store.js';

describeArtifactStore({ create: () => new MemoryArtifactStore() });

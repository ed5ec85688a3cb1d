import { MemoryApiKeyStore } from '../../../../../functions/core/stores/memory-api-key-store.js';
import { describeApiKeyStore } from '../../../../contracts/api-key-store.js';

describeApiKeyStore({ create: () => new MemoryApiKeyStore() });

import { MemoryApiKeyStore } from '../../../../functions/stores/memory-api-key-store.js';
import { describeApiKeyStore } from '../../../contracts/api-key-store.js';

describeApiKeyStore({ create: () => new MemoryApiKeyStore() });

import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import type { Provider } from '../functions/ports/provider.js';
import type { RunStore } from '../functions/ports/run-store.js';
import { PromptPackRegistry } from '../functions/prompt-packs/pack-registry.js';
import { cachedBundleLoader } from '../functions/shared/bundle-loader.js';
import type { StepRunnerDeps } from '../functions/step-runner/deps.js';
import { DynamoPromptPackStore } from '../functions/stores/dynamo-prompt-pack-store.js';
import { DynamoRunStore } from '../functions/stores/dynamo-run-store.js';
import { S3ArtifactStore } from '../functions/stores/s3-artifact-store.js';
import type { ModelFamily } from '../pipelines/contract/models.js';
import type { LocalStack } from './emulators.js';

/** The local stack's stores: the same S3 and DynamoDB adapters the Lambda uses, pointed at the emulators. */
export function createLocalStores(stack: LocalStack): {
  readonly artifacts: ArtifactStore;
  readonly runs: RunStore;
} {
  return {
    artifacts: new S3ArtifactStore(stack.clients.s3, stack.bucket),
    runs: new DynamoRunStore(stack.clients.dynamo, stack.tables),
  };
}

/** The step runner's deps over the local stack, with the whole run store the control plane uses too. */
export type LocalDeps = StepRunnerDeps & { readonly runs: RunStore };

/** The step runner's deps over the local stack. */
export function createLocalDeps(
  stack: LocalStack,
  providerFor: (family: ModelFamily) => Provider,
): LocalDeps {
  const stores = createLocalStores(stack);
  // Pointers are read afresh on every call: a pack `elexirion optimize` just promoted serves the next run.
  const packs = new DynamoPromptPackStore(stack.clients.dynamo, stack.tables.runs, stores.artifacts);
  return {
    ...stores,
    providerFor,
    loadBundle: cachedBundleLoader(stores.artifacts),
    now: () => new Date(),
    promptPacks: new PromptPackRegistry(packs, { pointerCacheMs: 0 }),
  };
}

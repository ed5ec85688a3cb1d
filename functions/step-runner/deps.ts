import type { ModelFamily } from '../../pipelines/contract/models.js';
import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { Provider } from '../ports/provider.js';
import type { RunStore } from '../ports/run-store.js';
import type { PromptPackRegistry } from '../prompt-packs/pack-registry.js';

/** What the step runner needs from the outside world; built once per process by `createDeps`. */
export interface StepRunnerDeps {
  readonly artifacts: ArtifactStore;
  /**
   * The whole store, though the step runner uses only its runs, attempts and scores: the local stack
   * (`createLocalDeps`) returns these deps, and `elexirion dev` builds the control plane's from them.
   */
  readonly runs: RunStore;
  /** The provider that serves a model family in this process (a real one, or the mock). */
  readonly providerFor: (family: ModelFamily) => Provider;
  /** Reads a spec bundle by key; implementations cache, since bundles are content-addressed. */
  readonly loadBundle: (key: string) => Promise<SpecBundle>;
  readonly now: () => Date;
  /** The prompt packs of steps that opt in to optimization; without it they render their own prompt. */
  readonly promptPacks?: PromptPackRegistry;
}

import type { ModelFamily } from '../../pipelines/contract/models.js';
import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { AttemptRecords } from '../ports/attempts.js';
import type { Provider } from '../ports/provider.js';
import type { RunRecords } from '../ports/runs.js';
import type { ScoreRecords } from '../ports/scores.js';
import type { PromptPackRegistry } from '../prompt-packs/pack-registry.js';

/** What the step runner needs from the outside world; built once per process by `createDeps`. */
export interface StepRunnerDeps {
  readonly artifacts: ArtifactStore;
  /** The step runner reads runs and writes attempts and evaluator scores; nothing else of the store. */
  readonly runs: RunRecords & AttemptRecords & ScoreRecords;
  /** The provider that serves a model family in this process (a real one, or the mock). */
  readonly providerFor: (family: ModelFamily) => Provider;
  /** Reads a spec bundle by key; implementations cache, since bundles are content-addressed. */
  readonly loadBundle: (key: string) => Promise<SpecBundle>;
  readonly now: () => Date;
  /** The prompt packs of steps that opt in to optimization; without it they render their own prompt. */
  readonly promptPacks?: PromptPackRegistry;
}

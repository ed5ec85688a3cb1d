import { createHash } from 'node:crypto';
import type { ModelFamily } from '../../pipelines/contract/models.js';
import type { Provider } from '../ports/provider.js';
import type { KeySource, ProviderKeys } from './provider-keys.js';
import { createProviderRouter, type ProviderSettings } from './provider-router.js';

/** The provider a model family is served by, as `StepRunnerDeps.providerFor` expects it. */
export type ProviderFor = (family: ModelFamily) => Provider;

/**
 * A provider router whose keys come from `keys` at run time: each call asks the source (which
 * caches) and rebuilds the router only when a key has changed, so a rotated key is used without a
 * redeploy and an unchanged one costs nothing. The source's keys replace any keys in `settings`.
 *
 * @example
 * const routerNow = keyedProviderRouter({ mode: 'auto' }, secretsKeySource({ anthropic: arn }));
 * const providerFor = await routerNow(); // once per invocation
 */
export function keyedProviderRouter(settings: ProviderSettings, keys: KeySource): () => Promise<ProviderFor> {
  let built: { readonly fingerprint: string; readonly providerFor: ProviderFor } | undefined;
  return async () => {
    const current = await keys();
    const fingerprint = fingerprintOf(current);
    if (built?.fingerprint !== fingerprint) {
      const withKeys = {
        ...settings,
        anthropicApiKey: current.anthropicApiKey,
        geminiApiKey: current.geminiApiKey,
      };
      built = { fingerprint, providerFor: createProviderRouter(withKeys) };
    }
    return built.providerFor;
  };
}

/** Tells key sets apart without keeping another readable copy of the keys. */
function fingerprintOf(keys: ProviderKeys): string {
  return createHash('sha256')
    .update(JSON.stringify([keys.anthropicApiKey ?? null, keys.geminiApiKey ?? null]))
    .digest('hex');
}

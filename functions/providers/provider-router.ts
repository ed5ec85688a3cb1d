import type { ModelFamily } from '../../pipelines/contract/models.js';
import { DEFAULT_MODELS } from '../../pipelines/models.js';
import type { CompletionRequest, Provider } from '../ports/provider.js';
import { AnthropicProvider } from './anthropic-provider.js';
import { GeminiProvider } from './gemini-provider.js';
import { MockProvider } from './mock-provider.js';
import type { MockScript } from './mock-script.js';

/**
 * Which providers serve the LLM steps:
 * - `auto`: each step its own family's provider when that family's key is set, the mock otherwise;
 * - `mock`: the mock for every step;
 * - `anthropic` / `gemini`: that provider for every step; steps of the other family get its default model.
 */
export type ProviderMode = 'auto' | 'mock' | 'anthropic' | 'gemini';

/** Keys, endpoints and mock settings the router builds providers from. */
export interface ProviderSettings {
  readonly mode: ProviderMode;
  readonly anthropicApiKey?: string;
  readonly anthropicBaseUrl?: string;
  readonly geminiApiKey?: string;
  readonly geminiBaseUrl?: string;
  readonly mockScript?: MockScript;
  /** Simulated provider latency of the mock, for benchmarks. */
  readonly mockLatencyMs?: number;
}

/** A provider was asked for but cannot be built (its key is missing). */
export class ProviderConfigError extends Error {
  override readonly name = 'ProviderConfigError';
}

/** The provider settings the environment implies: standard key and endpoint variables. */
export function providerSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Pick<ProviderSettings, 'mode'> & Partial<ProviderSettings>,
): ProviderSettings {
  return {
    ...definedEntries({
      anthropicApiKey: env.ANTHROPIC_API_KEY,
      anthropicBaseUrl: env.ANTHROPIC_BASE_URL,
      geminiApiKey: env.GEMINI_API_KEY ?? env.GOOGLE_API_KEY,
      geminiBaseUrl: env.GEMINI_BASE_URL,
    }),
    ...overrides,
  };
}

/**
 * Builds the providers once and returns the function the step runner asks for a family's provider.
 * Throws {@link ProviderConfigError} when a mode names a provider whose key is missing.
 *
 * @example
 * const providerFor = createProviderRouter(providerSettingsFromEnv(process.env, { mode: 'auto' }));
 * providerFor('claude').name; // 'anthropic' with ANTHROPIC_API_KEY set, 'mock' without
 */
export function createProviderRouter(settings: ProviderSettings): (family: ModelFamily) => Provider {
  const mock = new MockProvider({
    ...(settings.mockScript ? { script: settings.mockScript } : {}),
    ...(settings.mockLatencyMs ? { latencyMs: settings.mockLatencyMs } : {}),
  });
  const anthropic = settings.anthropicApiKey
    ? new AnthropicProvider({
        apiKey: settings.anthropicApiKey,
        ...baseUrl('baseURL', settings.anthropicBaseUrl),
      })
    : undefined;
  const gemini = settings.geminiApiKey
    ? new GeminiProvider({ apiKey: settings.geminiApiKey, ...baseUrl('baseUrl', settings.geminiBaseUrl) })
    : undefined;
  switch (settings.mode) {
    case 'mock':
      return () => mock;
    case 'auto':
      return (family) => (family === 'claude' ? anthropic : gemini) ?? mock;
    case 'anthropic': {
      if (!anthropic)
        throw new ProviderConfigError('--provider anthropic needs ANTHROPIC_API_KEY in the environment');
      const forGemini = withModel(anthropic, DEFAULT_MODELS.claude);
      return (family) => (family === 'claude' ? anthropic : forGemini);
    }
    case 'gemini': {
      if (!gemini) throw new ProviderConfigError('--provider gemini needs GEMINI_API_KEY in the environment');
      const forClaude = withModel(gemini, DEFAULT_MODELS.gemini);
      return (family) => (family === 'gemini' ? gemini : forClaude);
    }
  }
}

/** A provider that answers every request with `model`, for steps written for the other family. */
function withModel(provider: Provider, model: string): Provider {
  return {
    name: provider.name,
    complete: (request: CompletionRequest) => provider.complete({ ...request, model }),
  };
}

function baseUrl<K extends string>(key: K, url: string | undefined): Partial<Record<K, string>> {
  return url ? ({ [key]: url } as Record<K, string>) : {};
}

function definedEntries<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

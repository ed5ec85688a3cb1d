import { resolve } from 'node:path';
import type { Provider } from '../functions/ports/provider.js';
import { loadMockScript } from '../functions/providers/mock-script.js';
import {
  createProviderRouter,
  type ProviderMode,
  providerSettingsFromEnv,
} from '../functions/providers/provider-router.js';
import type { ModelFamily } from '../pipelines/contract/models.js';
import type { SpecBundle } from '../pipelines/contract/spec-bundle.js';
import { type CliIo, UsageError } from './io.js';

const PROVIDER_MODES: readonly ProviderMode[] = ['auto', 'mock', 'anthropic', 'gemini'];

/** The `parseArgs` options shared by the commands that run pipelines. */
export const PROVIDER_OPTIONS = {
  provider: { type: 'string', default: 'auto' },
  'mock-script': { type: 'string' },
  'no-retry-wait': { type: 'boolean', default: false },
} as const;

/** The help text of {@link PROVIDER_OPTIONS}. */
export const PROVIDER_HELP = `  --provider MODE      auto (default): Claude steps use Anthropic when ANTHROPIC_API_KEY is set,
                       Gemini steps use Gemini when GEMINI_API_KEY is set, the mock otherwise;
                       mock: every step uses the deterministic mock provider;
                       anthropic | gemini: every step uses that provider (its key is required)
  --mock-script FILE   scripted mock answers: a JSON or YAML map of step name to a list of
                       responses (text, JSON, or {"$error": "rate_limit"}), used in attempt order;
                       STEP[i] answers iteration i (loop.index) of a step in a loop body
  --no-retry-wait      retry at once instead of waiting the compiled backoff`;

/**
 * The provider router the flags ask for: `--provider`, `--mock-script` (read relative to the cwd;
 * with the `bundle` of the one pipeline it scripts, each key must name a step of it), and an
 * optional simulated mock latency.
 */
export async function providerRouterFromFlags(
  values: { readonly provider?: string; readonly 'mock-script'?: string | undefined },
  io: CliIo,
  options: { readonly mockLatencyMs?: number; readonly bundle?: SpecBundle } = {},
): Promise<(family: ModelFamily) => Provider> {
  const { mockLatencyMs = 0, bundle } = options;
  const mode = values.provider as ProviderMode;
  if (!PROVIDER_MODES.includes(mode)) {
    throw new UsageError(`--provider must be one of ${PROVIDER_MODES.join(', ')}, got "${values.provider}"`);
  }
  const scriptFlag = values['mock-script'];
  const mockScript = scriptFlag
    ? await loadMockScript(resolve(io.cwd ?? process.cwd(), scriptFlag), bundle)
    : undefined;
  return createProviderRouter(
    providerSettingsFromEnv(io.env, {
      mode,
      ...(mockScript ? { mockScript } : {}),
      ...(mockLatencyMs > 0 ? { mockLatencyMs } : {}),
    }),
  );
}

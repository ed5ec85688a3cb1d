import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { awsRequestHandler } from '../shared/aws-clients.js';
import type { ProviderSettings } from './provider-router.js';

/** A provider that needs an API key. */
export type KeyedProvider = 'anthropic' | 'gemini';

/** The API keys a provider router is built with; a missing key means that provider is unavailable. */
export type ProviderKeys = Pick<ProviderSettings, 'anthropicApiKey' | 'geminiApiKey'>;

/** Where provider keys come from; called once per invocation, so it must cache. */
export type KeySource = () => Promise<ProviderKeys>;

/** Reads a secret's current string value; `undefined` when it holds none. */
export type ReadSecret = (secretId: string) => Promise<string | undefined>;

/** How long a key read from Secrets Manager is reused before it is read again (a rotation shows up then). */
export const KEY_CACHE_SECONDS = 300;

/** A secret holds no key, or holds it in a shape the step runner cannot read. */
export class KeySecretError extends Error {
  override readonly name = 'KeySecretError';
}

/**
 * Keys from Secrets Manager, one secret per provider, read through Powertools Parameters with a
 * {@link KEY_CACHE_SECONDS} cache. A secret holds `{"apiKey": "…"}` (or the bare key); an empty
 * `apiKey` means "no key yet", which in `auto` mode sends that family's steps to the mock.
 *
 * @example
 * const keys = secretsKeySource({ anthropic: process.env.ANTHROPIC_KEY_SECRET });
 * await keys(); // { anthropicApiKey: 'sk-ant-…' }
 */
export function secretsKeySource(
  secretIds: Readonly<Partial<Record<KeyedProvider, string>>>,
  readSecret: ReadSecret = readSecretCached,
): KeySource {
  const read = async (provider: KeyedProvider): Promise<string | undefined> => {
    const secretId = secretIds[provider];
    return secretId === undefined ? undefined : apiKeyOf(await readSecret(secretId), secretId);
  };
  return async () => {
    const [anthropicApiKey, geminiApiKey] = await Promise.all([read('anthropic'), read('gemini')]);
    return {
      ...(anthropicApiKey ? { anthropicApiKey } : {}),
      ...(geminiApiKey ? { geminiApiKey } : {}),
    };
  };
}

/** The key in a secret's value: the `apiKey` field of a JSON object, or the whole value when it is not JSON. */
export function apiKeyOf(value: string | undefined, secretId: string): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (!text.startsWith('{')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeySecretError(`secret ${secretId} starts like JSON but does not parse; store {"apiKey": "…"}`);
  }
  const apiKey = (parsed as { apiKey?: unknown }).apiKey;
  if (typeof apiKey !== 'string') {
    throw new KeySecretError(`secret ${secretId} has no string field "apiKey"; store {"apiKey": "…"}`);
  }
  return apiKey.trim() || undefined;
}

/** Powertools' Secrets Manager provider (it caches), built on first use with our timeouts. */
let secrets: SecretsProvider | undefined;

async function readSecretCached(secretId: string): Promise<string | undefined> {
  secrets ??= new SecretsProvider({ clientConfig: { requestHandler: awsRequestHandler() } });
  const value = await secrets.get(secretId, { maxAge: KEY_CACHE_SECONDS });
  return typeof value === 'string' ? value : undefined;
}

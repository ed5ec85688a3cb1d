import { describe, expect, it } from 'vitest';
import { keyedProviderRouter } from '../../../../functions/providers/keyed-provider-router.js';
import type { ProviderKeys } from '../../../../functions/providers/provider-keys.js';

describe('keyedProviderRouter', () => {
  it('serves each family from the keys current at the call, falling back to the mock in auto mode', async () => {
    // Prepare: no key at first, then an Anthropic key is stored
    let keys: ProviderKeys = {};
    const routerNow = keyedProviderRouter({ mode: 'auto' }, async () => keys);
    // Act, Assess
    expect((await routerNow())('claude').name).toBe('mock');
    keys = { anthropicApiKey: 'sk-ant-test' };
    const providerFor = await routerNow();
    expect(providerFor('claude').name).toBe('anthropic');
    expect(providerFor('gemini').name).toBe('mock');
  });

  it('builds the router once per distinct set of keys', async () => {
    const routerNow = keyedProviderRouter({ mode: 'auto' }, async () => ({ geminiApiKey: 'g' }));
    const first = await routerNow();
    expect(await routerNow()).toBe(first);
  });

  it('ignores keys in the settings: the source is the only place keys come from', async () => {
    const routerNow = keyedProviderRouter({ mode: 'auto', anthropicApiKey: 'from-env' }, async () => ({}));
    expect((await routerNow())('claude').name).toBe('mock');
  });
});

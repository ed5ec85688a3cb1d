import { afterEach, describe, expect, it } from 'vitest';
import type { CompletionRequest, Provider } from '../../../../functions/ports/provider.js';
import { AnthropicProvider } from '../../../../functions/providers/anthropic-provider.js';
import { GeminiProvider } from '../../../../functions/providers/gemini-provider.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';
import { startFakeAnthropicServer } from '../../../support/fake-anthropic-server.js';
import { startFakeGeminiServer } from '../../../support/fake-gemini-server.js';
import { type FakeProviderServer, fake } from '../../../support/fake-provider-server.js';

// Every case drives the real SDK through the adapter against a loopback fake of its wire protocol.
const ADAPTERS = [
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    apiKey: `sk-ant-api03-${'test-secret-key'}`,
    overloadedStatus: 529,
    start: startFakeAnthropicServer,
    create: (url: string, apiKey: string): Provider => new AnthropicProvider({ apiKey, baseURL: url }),
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    apiKey: `AIza${'SyTestSecretKey0123456789abcdefghi'}`,
    overloadedStatus: 503,
    start: startFakeGeminiServer,
    create: (url: string, apiKey: string): Provider => new GeminiProvider({ apiKey, baseUrl: url }),
  },
] as const;

type Adapter = (typeof ADAPTERS)[number];

let server: FakeProviderServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp(adapter: Adapter) {
  server = await adapter.start();
  return { server, provider: adapter.create(server.url, adapter.apiKey) };
}

function requestFor(adapter: Adapter, overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    stepId: 'plan',
    attempt: 1,
    model: adapter.model,
    system: 'You are terse.',
    prompt: 'Plan the refactor',
    maxOutputTokens: 256,
    timeoutMs: 5_000,
    ...overrides,
  };
}

describe.each(ADAPTERS)('$provider adapter', (adapter) => {
  it('returns the text, the usage and the model that answered', async () => {
    // Prepare
    const { server, provider } = await setUp(adapter);
    server.enqueue(
      fake.ok('Step 1: read the code.', { inputTokens: 40, outputTokens: 7, cachedInputTokens: 100 }),
    );

    // Act
    const result = await provider.complete(requestFor(adapter));

    // Assess
    expect(result).toEqual({
      text: 'Step 1: read the code.',
      model: adapter.model,
      usage: { inputTokens: 40, outputTokens: 7, cachedInputTokens: 100 },
      stopReason: expect.any(String),
    });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    { status: 429, name: ErrorName.ProviderRateLimited },
    { status: adapter.overloadedStatus, name: ErrorName.ProviderOverloaded },
    { status: 500, name: ErrorName.ProviderServerError },
    { status: 401, name: ErrorName.ProviderAuthFailed },
    { status: 403, name: ErrorName.ProviderAuthFailed },
    { status: 400, name: ErrorName.ProviderInvalidRequest },
    { status: 404, name: ErrorName.ProviderInvalidRequest },
  ])('maps HTTP $status to $name after exactly one request', async ({ status, name }) => {
    // Prepare
    const { server, provider } = await setUp(adapter);
    server.enqueue(fake.status(status), fake.ok('a retry would get this'));

    // Act
    const call = provider.complete(requestFor(adapter));

    // Assess
    await expect(call).rejects.toMatchObject({
      name,
      provider: adapter.provider,
      model: adapter.model,
      status,
      cause: expect.any(Error),
    });
    expect(server.requests).toHaveLength(1);
  });

  it('reads the retry delay of a rate limit', async () => {
    // Prepare
    const { server, provider } = await setUp(adapter);
    server.enqueue(fake.status(429, { retryAfterSeconds: 17 }));

    // Act
    const call = provider.complete(requestFor(adapter));

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderRateLimited, retryAfterSeconds: 17 });
    expect(server.requests).toHaveLength(1);
  });

  it('times out with Provider.Timeout when the provider never answers', async () => {
    // Prepare
    const { server, provider } = await setUp(adapter);
    server.enqueue(fake.hang(), fake.ok('a retry would get this'));

    // Act
    const call = provider.complete(requestFor(adapter, { timeoutMs: 200 }));

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderTimeout });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a body that is not JSON to Provider.InvalidResponse', async () => {
    // Prepare
    const { server, provider } = await setUp(adapter);
    server.enqueue(fake.malformed(), fake.ok('a retry would get this'));

    // Act
    const call = provider.complete(requestFor(adapter));

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderInvalidResponse });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a JSON body without the reply fields to Provider.InvalidResponse', async () => {
    // Prepare
    const { server, provider } = await setUp(adapter);
    server.enqueue(fake.raw(200, { id: 'reply-without-content' }));

    // Act
    const call = provider.complete(requestFor(adapter));

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderInvalidResponse });
  });

  it('maps a refused connection to Provider.ServerError', async () => {
    // Prepare
    const { server } = await setUp(adapter);
    const url = server.url;
    await server.close();
    const provider = adapter.create(url, adapter.apiKey);

    // Act
    const call = provider.complete(requestFor(adapter));

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderServerError });
  });

  it('never puts the API key in the error message, even when the provider echoes it', async () => {
    // Prepare
    const { server, provider } = await setUp(adapter);
    server.enqueue(fake.status(401, { message: `invalid key: ${adapter.apiKey}` }));

    // Act
    const call = provider.complete(requestFor(adapter));

    // Assess
    await expect(call).rejects.toMatchObject({
      name: ErrorName.ProviderAuthFailed,
      message: expect.not.stringContaining(adapter.apiKey),
    });
    await expect(call).rejects.toThrow('[redacted]');
  });
});

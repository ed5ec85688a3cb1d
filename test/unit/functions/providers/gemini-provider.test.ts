import { GoogleGenAI } from '@google/genai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompletionRequest } from '../../../../functions/ports/provider.js';
import { GeminiProvider } from '../../../../functions/providers/gemini-provider.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';
import { startFakeGeminiServer } from '../../../support/fake-gemini-server.js';
import { type FakeProviderServer, fake } from '../../../support/fake-provider-server.js';

const API_KEY = `AIza${'SyTestSecretKey0123456789abcdefghi'}`;

const REQUEST: CompletionRequest = {
  stepId: 'summarize',
  attempt: 1,
  model: 'gemini-2.5-flash',
  system: 'You are terse.',
  prompt: 'Summarize the diff',
  maxOutputTokens: 321,
  temperature: 0.2,
  topP: 0.9,
  topK: 40,
  timeoutMs: 5_000,
};

describe('GeminiProvider', () => {
  let server: FakeProviderServer;

  beforeEach(async () => {
    server = await startFakeGeminiServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('sends the model, system instruction, prompt and generation config', async () => {
    // Prepare
    const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });

    // Act
    await provider.complete(REQUEST);

    // Assess
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: expect.stringMatching(/\/models\/gemini-2\.5-flash:generateContent$/),
        headers: expect.objectContaining({ 'x-goog-api-key': '[redacted]' }),
        body: {
          contents: [{ role: 'user', parts: [{ text: 'Summarize the diff' }] }],
          systemInstruction: { role: 'user', parts: [{ text: 'You are terse.' }] },
          generationConfig: { maxOutputTokens: 321, temperature: 0.2, topP: 0.9, topK: 40 },
        },
      }),
    ]);
  });

  it("sends earlier turns as contents, the assistant's as the model's, and asks for JSON in a schema", async () => {
    // Prepare
    const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
    const schema = { type: 'object', properties: { risk: { type: 'number' } } };

    // Act
    await provider.complete({
      ...REQUEST,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
      outputSchema: schema,
    });

    // Assess
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Hello' }] },
      { role: 'user', parts: [{ text: 'Summarize the diff' }] },
    ]);
    expect(body.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
  });

  it('concatenates the text parts of the first candidate', async () => {
    // Prepare
    const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
    server.enqueue(fake.ok(['Step 1. ', 'Step 2.']));

    // Act
    const result = await provider.complete(REQUEST);

    // Assess
    expect(result).toMatchObject({ text: 'Step 1. Step 2.', stopReason: 'STOP' });
  });

  it('counts thinking tokens as output', async () => {
    // Prepare
    const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
    server.enqueue(fake.ok('ok', { inputTokens: 30, outputTokens: 90, thoughtTokens: 80 }));

    // Act
    const result = await provider.complete(REQUEST);

    // Assess
    expect(result.usage).toEqual({ inputTokens: 30, outputTokens: 90, cachedInputTokens: 0 });
  });

  it('maps a 400 API_KEY_INVALID to Provider.AuthFailed', async () => {
    // Prepare
    const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
    server.enqueue(fake.status(400, { message: 'API key not valid.', reason: 'API_KEY_INVALID' }));

    // Act
    const call = provider.complete(REQUEST);

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderAuthFailed, status: 400 });
  });

  it('maps a reply without candidates (a blocked prompt) to Provider.InvalidResponse', async () => {
    // Prepare
    const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
    server.enqueue(
      fake.raw(200, { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 9 } }),
    );

    // Act
    const call = provider.complete(REQUEST);

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderInvalidResponse });
  });

  it('makes one request even when the injected client is configured to retry', async () => {
    // Prepare
    const client = new GoogleGenAI({
      apiKey: API_KEY,
      httpOptions: { baseUrl: server.url, retryOptions: { attempts: 5, initialDelay: 0.01 } },
    });
    const provider = new GeminiProvider({ client });
    server.enqueue(fake.status(503), fake.ok('a retry would get this'));

    // Act
    const call = provider.complete(REQUEST);

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderOverloaded });
    expect(server.requests).toHaveLength(1);
  });
});

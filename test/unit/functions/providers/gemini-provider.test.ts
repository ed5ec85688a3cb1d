import { GoogleGenAI } from '@google/genai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompletionRequest, ToolDefinition } from '../../../../functions/ports/provider.js';
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

const READ_TOOL: ToolDefinition = {
  name: 'Read',
  description: 'Reads a file of the workspace.',
  inputSchema: {
    type: 'object',
    properties: { file_path: { type: 'string', minLength: 1 } },
    required: ['file_path'],
    additionalProperties: false,
  },
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

  describe('with tools', () => {
    it('declares the tools with their JSON Schemas and makes up stable ids for calls without one', async () => {
      // Prepare
      const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
      const calls = [
        { name: 'Read', input: { file_path: 'src/a.ts' } },
        { name: 'Read', input: { file_path: 'src/b.ts' } },
      ];
      server.enqueue(fake.toolCalls(calls, { text: 'Reading both.' }), fake.toolCalls(calls));

      // Act
      const first = await provider.complete({ ...REQUEST, tools: [READ_TOOL], turn: 1 });
      const retried = await provider.complete({ ...REQUEST, tools: [READ_TOOL], turn: 1 });

      // Assess: the schema is sent whole, unsupported-by-OpenAPI keywords included
      const body = server.requests[0]?.body as { tools?: unknown };
      expect(body.tools).toEqual([
        {
          functionDeclarations: [
            {
              name: 'Read',
              description: 'Reads a file of the workspace.',
              parametersJsonSchema: READ_TOOL.inputSchema,
            },
          ],
        },
      ]);
      expect(first).toMatchObject({
        text: 'Reading both.',
        toolCalls: [
          { id: 'call_1_0', name: 'Read', input: { file_path: 'src/a.ts' } },
          { id: 'call_1_1', name: 'Read', input: { file_path: 'src/b.ts' } },
        ],
      });
      expect(retried.toolCalls).toEqual(first.toolCalls);
    });

    it('keeps the ids the API gives', async () => {
      // Prepare
      const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
      server.enqueue(fake.toolCalls([{ id: 'fc-7', name: 'Read', input: { file_path: 'a.ts' } }]));

      // Act
      const result = await provider.complete({ ...REQUEST, tools: [READ_TOOL], turn: 1 });

      // Assess
      expect(result.toolCalls).toEqual([{ id: 'fc-7', name: 'Read', input: { file_path: 'a.ts' } }]);
    });

    it('sends the next turn with a function response per call, an error as {error}', async () => {
      // Prepare
      const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
      server.enqueue(
        fake.toolCalls([
          { name: 'Read', input: { file_path: 'src/a.ts' } },
          { name: 'Read', input: { file_path: '../secret' } },
        ]),
        fake.ok('Done: a.ts exports one function.'),
      );
      const first = await provider.complete({ ...REQUEST, tools: [READ_TOOL], turn: 1 });
      const [ok, refused] = first.toolCalls ?? [];
      if (!ok || !refused) expect.fail('expected two tool calls');

      // Act
      const second = await provider.complete({
        ...REQUEST,
        tools: [READ_TOOL],
        turn: 2,
        agentTurns: [
          {
            text: '',
            toolCalls: first.toolCalls ?? [],
            toolResults: [
              { callId: ok.id, name: 'Read', content: 'export const a = 1;', isError: false },
              { callId: refused.id, name: 'Read', content: 'outside the workspace', isError: true },
            ],
          },
        ],
      });

      // Assess: made-up ids stay on this side; the API pairs by order and name
      const body = server.requests[1]?.body as { contents?: unknown };
      expect(body.contents).toEqual([
        { role: 'user', parts: [{ text: 'Summarize the diff' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'Read', args: { file_path: 'src/a.ts' } } },
            { functionCall: { name: 'Read', args: { file_path: '../secret' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'Read', response: { output: 'export const a = 1;' } } },
            { functionResponse: { name: 'Read', response: { error: 'outside the workspace' } } },
          ],
        },
      ]);
      expect(second.text).toBe('Done: a.ts exports one function.');
      expect(second.toolCalls).toBeUndefined();
    });

    it("sends back the API's own ids and the model's text before its calls", async () => {
      // Prepare
      const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });

      // Act
      await provider.complete({
        ...REQUEST,
        tools: [READ_TOOL],
        turn: 2,
        agentTurns: [
          {
            text: 'Let me look.',
            toolCalls: [{ id: 'fc-7', name: 'Read', input: { file_path: 'a.ts' } }],
            toolResults: [{ callId: 'fc-7', name: 'Read', content: 'x', isError: false }],
          },
        ],
      });

      // Assess
      const body = server.requests[0]?.body as { contents: unknown[] };
      expect(body.contents.slice(1)).toEqual([
        {
          role: 'model',
          parts: [
            { text: 'Let me look.' },
            { functionCall: { id: 'fc-7', name: 'Read', args: { file_path: 'a.ts' } } },
          ],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { id: 'fc-7', name: 'Read', response: { output: 'x' } } }],
        },
      ]);
    });

    it('leaves thoughts out of the text', async () => {
      // Prepare
      const provider = new GeminiProvider({ apiKey: API_KEY, baseUrl: server.url });
      server.enqueue(
        fake.raw(200, {
          candidates: [
            {
              content: {
                role: 'model',
                parts: [
                  { text: 'I should read it.', thought: true },
                  { text: 'Reading.' },
                  { functionCall: { name: 'Read', args: { file_path: 'a.ts' } } },
                ],
              },
              finishReason: 'STOP',
            },
          ],
          usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 },
        }),
      );

      // Act
      const result = await provider.complete({ ...REQUEST, tools: [READ_TOOL], turn: 1 });

      // Assess
      expect(result).toMatchObject({
        text: 'Reading.',
        toolCalls: [{ id: 'call_1_0', name: 'Read', input: { file_path: 'a.ts' } }],
      });
    });
  });
});

import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompletionRequest, ToolDefinition } from '../../../../functions/ports/provider.js';
import { AnthropicProvider } from '../../../../functions/providers/anthropic-provider.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';
import { startFakeAnthropicServer } from '../../../support/fake-anthropic-server.js';
import { type FakeProviderServer, fake } from '../../../support/fake-provider-server.js';

const API_KEY = `sk-ant-api03-${'test-secret-key'}`;

const REQUEST: CompletionRequest = {
  stepId: 'plan',
  attempt: 1,
  model: 'claude-haiku-4-5',
  system: 'You are terse.',
  prompt: 'Plan the refactor',
  maxOutputTokens: 321,
  temperature: 0.2,
  topP: 0.9,
  topK: 40,
  timeoutMs: 5_000,
};

const READ_TOOL: ToolDefinition = {
  name: 'Read',
  description: 'Reads a file of the workspace.',
  inputSchema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] },
};

describe('AnthropicProvider', () => {
  let server: FakeProviderServer;

  beforeEach(async () => {
    server = await startFakeAnthropicServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('sends the model, system prompt, prompt and max tokens, and no sampling parameters', async () => {
    // Prepare
    const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });

    // Act
    await provider.complete(REQUEST);

    // Assess
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/messages',
        headers: expect.objectContaining({
          authorization: '[redacted]',
          'anthropic-version': expect.any(String),
        }),
        body: {
          model: 'claude-haiku-4-5',
          max_tokens: 321,
          system: 'You are terse.',
          messages: [{ role: 'user', content: 'Plan the refactor' }],
        },
      }),
    ]);
  });

  it('sends earlier turns before the prompt, and asks for structured output in an object schema', async () => {
    // Prepare
    const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });
    const schema = {
      type: 'object',
      properties: { risk: { type: 'string', minLength: 2 } },
      required: ['risk'],
    };

    // Act
    await provider.complete({
      ...REQUEST,
      messages: [
        { role: 'user', content: 'What is 5 + 3?' },
        { role: 'assistant', content: '8' },
      ],
      outputSchema: schema,
    });

    // Assess: the SDK's transform keeps unsupported constraints out of the schema it sends
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.messages).toEqual([
      { role: 'user', content: 'What is 5 + 3?' },
      { role: 'assistant', content: '8' },
      { role: 'user', content: 'Plan the refactor' },
    ]);
    expect(body.output_config).toMatchObject({
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          required: ['risk'],
          additionalProperties: false,
          properties: { risk: { type: 'string' } },
        },
      },
    });
    expect(JSON.stringify(body.output_config)).not.toContain('"minLength"');
  });

  it('concatenates the text blocks of the reply', async () => {
    // Prepare
    const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });
    server.enqueue(fake.ok(['Step 1. ', 'Step 2.']));

    // Act
    const result = await provider.complete(REQUEST);

    // Assess
    expect(result.text).toBe('Step 1. Step 2.');
  });

  it('counts cache writes as input and cache reads as cached input', async () => {
    // Prepare
    const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });
    server.enqueue(
      fake.raw(200, {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-haiku-4-5-20251001',
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'max_tokens',
        usage: {
          input_tokens: 10,
          output_tokens: 3,
          cache_creation_input_tokens: 200,
          cache_read_input_tokens: 50,
        },
      }),
    );

    // Act
    const result = await provider.complete(REQUEST);

    // Assess
    expect(result).toMatchObject({
      model: 'claude-haiku-4-5-20251001',
      usage: { inputTokens: 210, outputTokens: 3, cachedInputTokens: 50 },
      stopReason: 'max_tokens',
    });
  });

  it('maps an overloaded_error body to Provider.Overloaded whatever its status', async () => {
    // Prepare
    const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });
    server.enqueue(
      fake.raw(500, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );

    // Act
    const call = provider.complete(REQUEST);

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderOverloaded, status: 500 });
  });

  it('makes one request even when the injected client is configured to retry', async () => {
    // Prepare
    const client = new Anthropic({ apiKey: API_KEY, baseURL: server.url, maxRetries: 5 });
    const provider = new AnthropicProvider({ client });
    server.enqueue(fake.status(529), fake.ok('a retry would get this'));

    // Act
    const call = provider.complete(REQUEST);

    // Assess
    await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderOverloaded });
    expect(server.requests).toHaveLength(1);
  });

  describe('with tools', () => {
    it('sends the tools and parses the tool_use blocks of the reply into tool calls', async () => {
      // Prepare
      const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });
      server.enqueue(
        fake.toolCalls(
          [
            { id: 'toolu_01', name: 'Read', input: { file_path: 'src/a.ts' } },
            { id: 'toolu_02', name: 'Read', input: { file_path: 'src/b.ts' } },
          ],
          { text: 'Reading both files.' },
        ),
      );

      // Act
      const result = await provider.complete({ ...REQUEST, tools: [READ_TOOL], turn: 1 });

      // Assess
      const body = server.requests[0]?.body as Record<string, unknown>;
      expect(body.tools).toEqual([
        {
          name: 'Read',
          description: 'Reads a file of the workspace.',
          input_schema: {
            type: 'object',
            properties: { file_path: { type: 'string' } },
            required: ['file_path'],
          },
        },
      ]);
      expect(body.messages).toEqual([{ role: 'user', content: 'Plan the refactor' }]);
      expect(result).toMatchObject({
        text: 'Reading both files.',
        stopReason: 'tool_use',
        toolCalls: [
          { id: 'toolu_01', name: 'Read', input: { file_path: 'src/a.ts' } },
          { id: 'toolu_02', name: 'Read', input: { file_path: 'src/b.ts' } },
        ],
      });
    });

    it('sends the next turn with each tool result paired to its tool_use, errors marked', async () => {
      // Prepare
      const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });
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
            text: first.text,
            toolCalls: first.toolCalls ?? [],
            toolResults: [
              { callId: ok.id, name: 'Read', content: 'export const a = 1;', isError: false },
              { callId: refused.id, name: 'Read', content: 'outside the workspace', isError: true },
            ],
          },
        ],
      });

      // Assess: the assistant turn has no empty text block, and ids pair calls with results
      const body = server.requests[1]?.body as Record<string, unknown>;
      expect(ok.id).not.toBe(refused.id);
      expect(body.messages).toEqual([
        { role: 'user', content: 'Plan the refactor' },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: ok.id, name: 'Read', input: { file_path: 'src/a.ts' } },
            { type: 'tool_use', id: refused.id, name: 'Read', input: { file_path: '../secret' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: ok.id, content: 'export const a = 1;', is_error: false },
            {
              type: 'tool_result',
              tool_use_id: refused.id,
              content: 'outside the workspace',
              is_error: true,
            },
          ],
        },
      ]);
      expect(second.text).toBe('Done: a.ts exports one function.');
      expect(second.stopReason).toBe('end_turn');
      expect(second.toolCalls).toBeUndefined();
    });

    it("sends the model's text before its tool calls in a later turn", async () => {
      // Prepare
      const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });
      const call = { id: 'toolu_9', name: 'Read', input: { file_path: 'a.ts' } };

      // Act
      await provider.complete({
        ...REQUEST,
        tools: [READ_TOOL],
        turn: 2,
        agentTurns: [
          {
            text: 'Let me look.',
            toolCalls: [call],
            toolResults: [{ callId: 'toolu_9', name: 'Read', content: 'x', isError: false }],
          },
        ],
      });

      // Assess
      const body = server.requests[0]?.body as { messages: { content: unknown }[] };
      expect(body.messages[1]?.content).toEqual([
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', ...call },
      ]);
    });

    it('maps a tool_use block without an input to Provider.InvalidResponse', async () => {
      // Prepare
      const provider = new AnthropicProvider({ apiKey: API_KEY, baseURL: server.url });
      server.enqueue(
        fake.raw(200, {
          model: 'claude-haiku-4-5',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read' }],
          stop_reason: 'tool_use',
          usage: { input_tokens: 1, output_tokens: 1 },
        }),
      );

      // Act
      const call = provider.complete({ ...REQUEST, tools: [READ_TOOL], turn: 1 });

      // Assess
      await expect(call).rejects.toMatchObject({ name: ErrorName.ProviderInvalidResponse });
    });
  });
});

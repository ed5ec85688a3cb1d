import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionRequest } from '../../../../functions/ports/provider.js';
import { renderPack } from '../../../../functions/prompt-packs/chat-adapter.js';
import { PromptPackSchema } from '../../../../functions/prompt-packs/pack-schema.js';
import { parseReply } from '../../../../functions/prompt-packs/reply-parser.js';
import { AnthropicProvider } from '../../../../functions/providers/anthropic-provider.js';
import { GeminiProvider } from '../../../../functions/providers/gemini-provider.js';
import { OutputInvalidError } from '../../../../functions/shared/errors.js';
import { startFakeAnthropicServer } from '../../../support/fake-anthropic-server.js';
import { startFakeGeminiServer } from '../../../support/fake-gemini-server.js';
import type { FakeProviderServer } from '../../../support/fake-provider-server.js';

/**
 * The golden vectors the optimizer's pytest writes from DSPy itself (`optimizer/tests/test_golden.py`):
 * the runtime must render every input exactly as DSPy's ChatAdapter does, send it through the
 * Anthropic and Gemini SDKs in the shapes litellm uses, and parse every reply as DSPy does.
 */

const DIR = join(import.meta.dirname, '../../../fixtures/dspy-golden');

interface Golden {
  readonly pack: unknown;
  readonly renderings: readonly {
    readonly inputs: Record<string, unknown>;
    readonly messages: readonly { role: string; content: string }[];
    readonly claude: { system: string; messages: unknown[] };
    readonly gemini: { systemInstruction: string; contents: unknown[] };
  }[];
  readonly replies: readonly { text: string; outputs?: Record<string, unknown>; error?: string }[];
}

const cases = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .map(
    (file) =>
      [file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Golden] as const,
  );

function request(prompt: ReturnType<typeof renderPack>): CompletionRequest {
  return { stepId: 'golden', attempt: 1, model: 'model-x', maxOutputTokens: 64, timeoutMs: 5_000, ...prompt };
}

describe.each(cases)('golden vectors: %s', (_name, golden) => {
  const pack = PromptPackSchema.parse(golden.pack);

  it.each(golden.renderings.map((r, i) => [i, r] as const))(
    'renders input %i byte for byte',
    (_i, rendering) => {
      // Act
      const { system, messages, prompt } = renderPack(pack, rendering.inputs);

      // Assess
      expect([
        { role: 'system', content: system },
        ...messages,
        { role: 'user', content: prompt },
      ]).toStrictEqual(rendering.messages);
    },
  );

  it.each(golden.replies.map((r, i) => [i, r] as const))('parses reply %i as DSPy does', (_i, reply) => {
    if (reply.error) {
      expect(() => parseReply(reply.text, pack.signature.outputs)).toThrow(OutputInvalidError);
    } else {
      expect(parseReply(reply.text, pack.signature.outputs)).toStrictEqual(reply.outputs);
    }
  });
});

describe('golden vectors through the provider SDKs', () => {
  let anthropic: FakeProviderServer;
  let gemini: FakeProviderServer;
  beforeAll(async () => {
    [anthropic, gemini] = await Promise.all([startFakeAnthropicServer(), startFakeGeminiServer()]);
  });
  afterAll(async () => {
    await Promise.all([anthropic.close(), gemini.close()]);
  });

  const renderings = cases.flatMap(([name, golden]) =>
    golden.renderings.map(
      (rendering, i) => [`${name} #${i}`, PromptPackSchema.parse(golden.pack), rendering] as const,
    ),
  );

  it.each(renderings)('%s reaches Anthropic as system + turns', async (_label, pack, rendering) => {
    // Act
    await new AnthropicProvider({ apiKey: 'sk-ant-test', baseURL: anthropic.url }).complete(
      request(renderPack(pack, rendering.inputs)),
    );

    // Assess
    const body = anthropic.requests.at(-1)?.body as { system: string; messages: unknown[] };
    expect({ system: body.system, messages: body.messages }).toStrictEqual(rendering.claude);
  });

  it.each(renderings)(
    '%s reaches Gemini as systemInstruction + contents',
    async (_label, pack, rendering) => {
      // Act
      await new GeminiProvider({ apiKey: 'test', baseUrl: gemini.url }).complete(
        request(renderPack(pack, rendering.inputs)),
      );

      // Assess
      const body = gemini.requests.at(-1)?.body as {
        systemInstruction: { parts: { text: string }[] };
        contents: unknown[];
      };
      expect(body.systemInstruction.parts.map((part) => part.text).join('')).toBe(
        rendering.gemini.systemInstruction,
      );
      expect(body.contents).toStrictEqual(rendering.gemini.contents);
    },
  );
});

import { describe, expect, it } from 'vitest';
import { apiKeyOf, KeySecretError, secretsKeySource } from '../../../../functions/providers/provider-keys.js';

describe('secretsKeySource', () => {
  it('reads each provider key from its secret, as {"apiKey": …} or a bare key', async () => {
    // Prepare
    const values: Record<string, string> = {
      'arn:anthropic': '{"apiKey":"sk-ant-1","placeholder":"x"}',
      'arn:gemini': 'gem-2',
    };
    const read: string[] = [];
    const keys = secretsKeySource({ anthropic: 'arn:anthropic', gemini: 'arn:gemini' }, async (id) => {
      read.push(id);
      return values[id];
    });
    // Act
    const result = await keys();
    // Assess
    expect(result).toEqual({ anthropicApiKey: 'sk-ant-1', geminiApiKey: 'gem-2' });
    expect(read.sort()).toEqual(['arn:anthropic', 'arn:gemini']);
  });

  it('treats the placeholder a new secret holds, an empty key or no secret as no key', async () => {
    const keys = secretsKeySource({ anthropic: 'a' }, async () => '{"apiKey":"","placeholder":"Zx81"}');
    expect(await keys()).toEqual({});
  });

  it('lets a failed read through, so the step fails and Step Functions retries it', async () => {
    const keys = secretsKeySource({ gemini: 'g' }, async () => {
      throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    });
    await expect(keys()).rejects.toThrow('throttled');
  });
});

describe('apiKeyOf', () => {
  it.each([
    ['{"apiKey":" k "}', 'k'],
    ['  bare-key\n', 'bare-key'],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (value, expected) => {
    expect(apiKeyOf(value, 's')).toBe(expected);
  });

  it.each([['{not json'], ['{"key":"k"}'], ['{"apiKey":5}']])('rejects %j naming the secret', (value) => {
    expect(() => apiKeyOf(value, 'elexirion/acme/anthropic')).toThrow(KeySecretError);
    expect(() => apiKeyOf(value, 'elexirion/acme/anthropic')).toThrow(/elexirion\/acme\/anthropic/);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  errorNameForStatus,
  normalizeProviderError,
  parseRetryAfter,
  redactSecrets,
} from '../../../../functions/providers/provider-errors.js';
import { ProviderError } from '../../../../functions/shared/errors.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';

describe('errorNameForStatus', () => {
  it.each([
    { status: 400, name: ErrorName.ProviderInvalidRequest },
    { status: 401, name: ErrorName.ProviderAuthFailed },
    { status: 403, name: ErrorName.ProviderAuthFailed },
    { status: 404, name: ErrorName.ProviderInvalidRequest },
    { status: 408, name: ErrorName.ProviderTimeout },
    { status: 413, name: ErrorName.ProviderInvalidRequest },
    { status: 422, name: ErrorName.ProviderInvalidRequest },
    { status: 429, name: ErrorName.ProviderRateLimited },
    { status: 500, name: ErrorName.ProviderServerError },
    { status: 502, name: ErrorName.ProviderServerError },
    { status: 503, name: ErrorName.ProviderServerError },
    { status: 504, name: ErrorName.ProviderServerError },
    { status: 529, name: ErrorName.ProviderOverloaded },
  ])('maps $status to $name', ({ status, name }) => {
    // Act
    const mapped = errorNameForStatus(status);

    // Assess
    expect(mapped).toBe(name);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    { header: '17', seconds: 17 },
    { header: '0.5', seconds: 0.5 },
    { header: '-3', seconds: 0 },
    { header: 'Thu, 01 Jan 1970 00:00:00 GMT', seconds: 0 },
    { header: 'soon', seconds: undefined },
    { header: '', seconds: undefined },
    { header: null, seconds: undefined },
  ])('reads $header as $seconds', ({ header, seconds }) => {
    // Act
    const parsed = parseRetryAfter(header);

    // Assess
    expect(parsed).toBe(seconds);
  });

  it('reads an HTTP date as the seconds until then', () => {
    // Prepare
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();

    // Act
    const parsed = parseRetryAfter(inOneMinute);

    // Assess
    expect(parsed).toBeGreaterThan(0);
    expect(parsed).toBeLessThanOrEqual(60);
  });
});

describe('redactSecrets', () => {
  it.each([
    { text: 'invalid x-api-key sk-ant-api03-AbC_12-xyz', redacted: 'invalid x-api-key [redacted]' },
    {
      // Built at run time so that no key-like literal is committed.
      text: `API key AIza${'SyTestSecretKey0123456789abcdefghi'} not valid`,
      redacted: 'API key [redacted] not valid',
    },
    { text: 'header Authorization: Bearer abc.def-ghi', redacted: 'header Authorization: Bearer [redacted]' },
    {
      text: 'GET /v1beta/models?key=secret123&alt=sse',
      redacted: 'GET /v1beta/models?key=[redacted]&alt=sse',
    },
    { text: 'nothing secret here', redacted: 'nothing secret here' },
  ])('redacts "$text"', ({ text, redacted }) => {
    // Act
    const result = redactSecrets(text);

    // Assess
    expect(result).toBe(redacted);
  });
});

describe('normalizeProviderError', () => {
  const classifyNothing = () => undefined;

  it('passes a ProviderError through unchanged', () => {
    // Prepare
    const original = new ProviderError(ErrorName.ProviderInvalidResponse, 'bad', { provider: 'gemini' });

    // Act
    const normalized = normalizeProviderError('gemini', 'gemini-2.5-flash', original, classifyNothing);

    // Assess
    expect(normalized).toBe(original);
  });

  it.each([
    {
      kind: 'a JSON syntax error',
      error: new SyntaxError('Unexpected end of JSON input'),
      name: 'InvalidResponse',
    },
    { kind: 'a reply of the wrong shape', error: z.string().safeParse(1).error, name: 'InvalidResponse' },
    {
      kind: 'an aborted fetch',
      error: new DOMException('This operation was aborted', 'AbortError'),
      name: 'Timeout',
    },
    {
      kind: 'an undici connect timeout',
      error: new TypeError('fetch failed', {
        cause: Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
      }),
      name: 'Timeout',
    },
    { kind: 'a refused connection', error: new TypeError('fetch failed'), name: 'ServerError' },
    { kind: 'a thrown string', error: 'boom', name: 'ServerError' },
  ] as const)('maps $kind to Provider.$name, keeping it as cause', ({ error, name }) => {
    // Act
    const normalized = normalizeProviderError('anthropic', 'claude-haiku-4-5', error, classifyNothing);

    // Assess
    expect(normalized).toBeInstanceOf(ProviderError);
    expect(normalized).toMatchObject({
      name: `Provider.${name}`,
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
    });
    expect(normalized.cause).toBe(error);
  });

  it('uses what the adapter classified, and names provider, model and status in the message', () => {
    // Prepare
    const classify = () => ({
      name: ErrorName.ProviderRateLimited,
      detail: 'slow down',
      status: 429,
      retryAfterSeconds: 3,
    });

    // Act
    const normalized = normalizeProviderError('gemini', 'gemini-2.5-pro', new Error('sdk'), classify);

    // Assess
    expect(normalized).toMatchObject({
      name: ErrorName.ProviderRateLimited,
      message: 'gemini gemini-2.5-pro HTTP 429: slow down',
      status: 429,
      retryAfterSeconds: 3,
    });
  });
});

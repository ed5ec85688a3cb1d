import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './deps.js';
import { UnauthorizedError } from './errors.js';

const BEARER = /^Bearer[ \t]+([\x21-\x7e]{1,512})[ \t]*$/i;

/**
 * Requires `Authorization: Bearer API_KEY` on every request and sets the context's `tenantId` to the
 * key's tenant; 401 otherwise. The key itself is never logged or echoed.
 *
 * @example
 * app.use('/v1/*', requireApiKey(createKeyAuthenticator(keys)));
 */
export function requireApiKey(
  authenticate: (key: string) => Promise<string | undefined>,
): MiddlewareHandler<ApiEnv> {
  return async function requireApiKey(c, next) {
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) throw new UnauthorizedError('send your API key as Authorization: Bearer API_KEY');
    const tenantId = await authenticate(match[1]);
    if (tenantId === undefined) {
      throw new UnauthorizedError('the API key is not valid; check it, or ask your administrator for one');
    }
    c.set('tenantId', tenantId);
    await next();
  };
}

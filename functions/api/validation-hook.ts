import type { OpenAPIHonoOptions } from '@hono/zod-openapi';
import { issueDetails } from '../runs/request-schemas.js';
import type { ApiEnv } from './deps.js';
import { BadRequestError } from './errors.js';

/** What each validation target is called in messages. */
const TARGETS: Readonly<Record<string, string>> = {
  json: 'body',
  query: 'query string',
  param: 'path',
  header: 'headers',
};

/**
 * The hook every route's validation reports to: a request that does not fit its schema is a 400
 * INVALID_REQUEST whose details name each field (`score`, `input`, `limit`) and what is wrong.
 */
export const validationHook: NonNullable<OpenAPIHonoOptions<ApiEnv>['defaultHook']> = (result) => {
  if (result.success) return;
  const target = TARGETS[result.target] ?? result.target;
  throw new BadRequestError(
    'INVALID_REQUEST',
    `the request ${target} is invalid`,
    issueDetails(result.error.issues),
  );
};

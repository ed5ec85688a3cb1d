import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requireApiKey } from './auth.js';
import type { ApiDeps, ApiEnv } from './deps.js';
import { NotFoundError, PayloadTooLargeError, toHttpError } from './errors.js';
import { registerFeedbackRoute } from './routes/feedback.js';
import { registerPipelineRoutes } from './routes/pipelines.js';
import { registerRunControlRoutes } from './routes/run-control.js';
import { registerRunStepRoutes } from './routes/run-steps.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerStartRunRoute } from './routes/start-run.js';
import { registerWorkspaceRoutes, WORKSPACES_PATH } from './routes/workspaces.js';
import { validationHook } from './validation-hook.js';

/**
 * Bodies above this are refused with 413: a run's whole execution input must fit Step Functions'
 * 256 KiB, and a pipeline's YAML is far smaller. Repository archives have a limit of their own
 * (`MAX_ARCHIVE_UPLOAD_BYTES`), counted as they stream.
 */
export const MAX_BODY_BYTES = 262_144;

/** Where the OpenAPI 3.1 document is served. */
export const OPENAPI_PATH = '/v1/openapi.json';

/**
 * The run API as one Hono app with a standard `fetch(Request)`: Lambda wraps it
 * (`functions/handlers/api.ts`), `elexirion dev` serves it on a port, tests call `app.request()`.
 * Every route needs an API key; every error is `{error: {code, message, details}}`.
 *
 * @example
 * const app = createApiApp(deps);
 * const res = await app.request('/v1/runs', { headers: { Authorization: `Bearer ${key}` } });
 */
export function createApiApp(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.use('*', requireApiKey(deps.authenticate));
  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new PayloadTooLargeError(MAX_BODY_BYTES);
    },
  });
  // Hono's limit buffers a body sent without Content-Length; an archive is unpacked as it streams.
  app.use('*', (c, next) => (c.req.path === WORKSPACES_PATH ? next() : jsonBodyLimit(c, next)));
  registerPipelineRoutes(app, deps);
  registerStartRunRoute(app, deps);
  registerRunRoutes(app, deps);
  registerRunStepRoutes(app, deps);
  registerRunControlRoutes(app, deps);
  registerFeedbackRoute(app, deps);
  registerWorkspaceRoutes(app, deps);
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'http',
    scheme: 'bearer',
    description: "A tenant's API key: Authorization: Bearer API_KEY",
  });
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'Elexirion run API',
      version: '1.0.0',
      description:
        'Start pipelines, follow their runs, cancel and redrive them, and score their outcomes; upload ' +
        'repositories for runs to work on, and read what a run changed.',
    },
    security: [{ ApiKey: [] }],
  });
  app.notFound((c) => {
    throw new NotFoundError(`there is no route ${c.req.method} ${c.req.path}; see ${OPENAPI_PATH}`);
  });
  app.onError((error, c) => {
    const incident = randomUUID();
    const reply = toHttpError(error, incident);
    if (reply.status >= 500) deps.reportError?.(error, incident);
    return c.json(reply.toJSON(), reply.status, reply.headers);
  });
  return app;
}

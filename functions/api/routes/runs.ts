import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { PipelineNameSchema } from '../../runs/request-schemas.js';
import { requireRun } from '../../runs/run-lookup.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps, ApiEnv } from '../deps.js';
import { errorResponses, jsonResponse, RunParamsSchema, RunSchema, RunStatusSchema } from '../schemas.js';
import { runView } from '../views.js';

const ListRunsQuerySchema = z.object({
  pipeline: PipelineNameSchema.optional(),
  status: RunStatusSchema.optional(),
  limit: z.coerce
    .number({ error: 'limit is a whole number from 1 to 100' })
    .int({ error: 'limit is a whole number from 1 to 100' })
    .min(1, { error: 'limit is a whole number from 1 to 100' })
    .max(100, { error: 'limit is a whole number from 1 to 100' })
    .default(20),
  cursor: z.string().max(512).optional().describe('The cursor of the previous page'),
});

const listRuns = createRoute({
  method: 'get',
  path: '/v1/runs',
  summary: 'List runs, newest first',
  request: { query: ListRunsQuerySchema },
  responses: {
    200: jsonResponse(
      'A page of runs; pass `cursor` to get the next one',
      z.object({ runs: z.array(RunSchema), cursor: z.string().optional() }),
    ),
    ...errorResponses(),
  },
});

const getRun = createRoute({
  method: 'get',
  path: '/v1/runs/{runId}',
  summary: 'Read a run: status, inputs, error, usage',
  request: { params: RunParamsSchema },
  responses: { 200: jsonResponse('The run', RunSchema), ...errorResponses(404) },
});

/** `GET /v1/runs` and `GET /v1/runs/{runId}`. */
export function registerRunRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(listRuns, async (c) => {
    const { cursor, ...filters } = c.req.valid('query');
    const page = await deps.runs.listRuns(c.get('tenantId'), {
      ...filters,
      ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }),
    });
    return c.json(
      {
        runs: page.runs.map(runView),
        ...(page.next === undefined ? {} : { cursor: encodeCursor(page.next) }),
      },
      200,
    );
  });

  app.openapi(getRun, async (c) => {
    const run = await requireRun(deps.runs, c.get('tenantId'), c.req.valid('param').runId);
    return c.json(runView(run), 200);
  });
}

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { IdempotencyKeySchema, RunInputSchema, WorkspaceIdSchema } from '../../runs/request-schemas.js';
import { startPipelineRun } from '../../runs/start-pipeline-run.js';
import type { ApiDeps, ApiEnv } from '../deps.js';
import { BadRequestError } from '../errors.js';
import { errorResponses, jsonResponse, PipelineParamsSchema, RunStateSchema } from '../schemas.js';

const StartRunBodySchema = z
  .strictObject({
    input: RunInputSchema.optional().meta({ example: { topic: 'tides' } }),
    idempotencyKey: IdempotencyKeySchema.optional().describe(
      'Requests with the same key start one run; also accepted as the Idempotency-Key header',
    ),
    workspaceId: WorkspaceIdSchema.optional().describe(
      'The repository the run works on, as POST /v1/workspaces returned it',
    ),
  })
  .openapi('StartRun');

const startRun = createRoute({
  method: 'post',
  path: '/v1/pipelines/{name}/runs',
  summary: 'Start a run',
  description:
    "Checks the input against the pipeline's declared inputs and starts a run. Repeating the request with the " +
    'same idempotency key returns the same run (header Idempotent-Replayed: true), also when the requests are ' +
    'concurrent; the same key with a different input is a 422. While the first request with a key is still ' +
    'starting its run, a repeat is a 409 IDEMPOTENCY_IN_PROGRESS with Retry-After; a first request that died ' +
    'before recording its run no longer holds the key once that time has passed. A workspaceId names a ' +
    'repository uploaded with POST /v1/workspaces; an unknown one is a 404 WORKSPACE_NOT_FOUND.',
  request: {
    params: PipelineParamsSchema,
    headers: z.object({ 'idempotency-key': IdempotencyKeySchema.optional() }),
    body: { required: false, content: { 'application/json': { schema: StartRunBodySchema } } },
  },
  responses: {
    201: jsonResponse('The run, started now or by an earlier request with the same key', RunStateSchema),
    ...errorResponses(404, 409, 415, 422),
  },
});

/** `POST /v1/pipelines/{name}/runs`. */
export function registerStartRunRoute(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(startRun, async (c) => {
    const { name } = c.req.valid('param');
    const body = c.req.valid('json');
    const header = c.req.valid('header')['idempotency-key'];
    if (header !== undefined && body.idempotencyKey !== undefined && header !== body.idempotencyKey) {
      throw new BadRequestError(
        'INVALID_REQUEST',
        'the Idempotency-Key header and the idempotencyKey field differ',
        [{ field: 'idempotencyKey', message: 'give the key once, in the header or in the body' }],
      );
    }
    const idempotencyKey = header ?? body.idempotencyKey;
    const run = await startPipelineRun(
      {
        tenantId: c.get('tenantId'),
        pipeline: name,
        input: body.input ?? {},
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        ...(body.workspaceId === undefined ? {} : { workspaceId: body.workspaceId }),
      },
      deps,
    );
    if (run.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ runId: run.runId, status: run.status }, 201);
  });
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { cancelRun, redriveRun } from '../../runs/run-control.js';
import type { ApiDeps, ApiEnv } from '../deps.js';
import { errorResponses, jsonResponse, RunParamsSchema, RunStateSchema } from '../schemas.js';

const cancel = createRoute({
  method: 'post',
  path: '/v1/runs/{runId}/cancel',
  summary: 'Cancel a running run',
  description: 'Stops its execution; the run ends ABORTED and a PipelineRunFailed event is published.',
  request: { params: RunParamsSchema },
  responses: { 200: jsonResponse('The run, now ABORTED', RunStateSchema), ...errorResponses(404, 409) },
});

const redrive = createRoute({
  method: 'post',
  path: '/v1/runs/{runId}/redrive',
  summary: 'Resume a failed run from the step that failed',
  description:
    'For a FAILED, TIMED_OUT or ABORTED run: its execution resumes where it stopped, and steps that ' +
    'succeeded are not run again. Poll the run for its new outcome.',
  request: { params: RunParamsSchema },
  responses: { 202: jsonResponse('The run, RUNNING again', RunStateSchema), ...errorResponses(404, 409) },
});

/** `POST /v1/runs/{runId}/cancel` and `POST /v1/runs/{runId}/redrive`. */
export function registerRunControlRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(cancel, async (c) => {
    const run = await cancelRun(c.get('tenantId'), c.req.valid('param').runId, deps);
    return c.json({ runId: run.runId, status: run.status }, 200);
  });

  app.openapi(redrive, async (c) => {
    const run = await redriveRun(c.get('tenantId'), c.req.valid('param').runId, deps);
    return c.json({ runId: run.runId, status: run.status }, 202);
  });
}

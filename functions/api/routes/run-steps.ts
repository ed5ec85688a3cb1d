import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireRun } from '../../runs/run-lookup.js';
import { readStepArtifact } from '../../runs/step-artifacts.js';
import { stepReports } from '../../runs/step-reports.js';
import type { ApiDeps, ApiEnv } from '../deps.js';
import { errorResponses, jsonResponse, RunParamsSchema } from '../schemas.js';
import { stepView } from '../views.js';

const AttemptSchema = z
  .object({
    attempt: z.number().int(),
    status: z.enum(['SUCCEEDED', 'FAILED']),
    provider: z.string(),
    model: z.string(),
    promptVersion: z.string(),
    startedAt: z.string(),
    latencyMs: z.number(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number() }),
    costUsd: z.number(),
    priced: z.boolean(),
    error: z.object({ name: z.string(), message: z.string() }).optional(),
    degraded: z.boolean().optional().describe('True when a fallback answered instead of the step itself'),
    degradedReason: z.string().optional(),
    originalError: z.string().optional(),
  })
  .openapi('Attempt');

const StepSchema = z
  .object({
    stepId: z.string(),
    status: z.enum(['SUCCEEDED', 'FAILED', 'SKIPPED', 'NOT_RUN']),
    degraded: z
      .boolean()
      .describe('True when a fallback answered: the output is usable but not the step’s own'),
    degradedReason: z.string().optional(),
    originalError: z.string().optional(),
    attempts: z.array(AttemptSchema),
  })
  .openapi('Step');

const ArtifactSchema = z
  .object({
    stepId: z.string(),
    attempt: z.number().int(),
    provider: z.string(),
    model: z.string(),
    promptVersion: z.string(),
    request: z.object({ system: z.string().optional(), prompt: z.string() }),
    response: z.object({ text: z.string(), data: z.unknown().optional(), stopReason: z.string().optional() }),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number() }),
    costUsd: z.number(),
    latencyMs: z.number(),
    startedAt: z.string(),
  })
  .openapi('Artifact');

const listSteps = createRoute({
  method: 'get',
  path: '/v1/runs/{runId}/steps',
  summary: "A run's steps, each with every attempt (model, tokens, cost, latency, error)",
  request: { params: RunParamsSchema },
  responses: {
    200: jsonResponse(
      'The LLM steps in pipeline order',
      z.object({ runId: z.string(), steps: z.array(StepSchema) }),
    ),
    ...errorResponses(404),
  },
});

const getArtifact = createRoute({
  method: 'get',
  path: '/v1/runs/{runId}/artifacts/{stepId}',
  summary: "A step's artifact: the rendered prompt and the model's answer",
  request: {
    params: RunParamsSchema.extend({
      stepId: z.string().min(1).max(64).meta({ example: 'outline' }),
    }),
    query: z.object({
      attempt: z.coerce
        .number({ error: 'attempt is a whole number from 1' })
        .int({ error: 'attempt is a whole number from 1' })
        .min(1, { error: 'attempt is a whole number from 1' })
        .optional()
        .describe('Default: the latest successful attempt'),
    }),
  },
  responses: { 200: jsonResponse('The artifact', ArtifactSchema), ...errorResponses(404) },
});

/** `GET /v1/runs/{runId}/steps` and `GET /v1/runs/{runId}/artifacts/{stepId}`. */
export function registerRunStepRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(listSteps, async (c) => {
    const tenantId = c.get('tenantId');
    const run = await requireRun(deps.runs, tenantId, c.req.valid('param').runId);
    const [bundle, attempts] = await Promise.all([
      deps.loadBundle(run.bundleKey),
      deps.runs.listAttempts(tenantId, run.runId),
    ]);
    return c.json({ runId: run.runId, steps: stepReports(bundle, attempts).map(stepView) }, 200);
  });

  app.openapi(getArtifact, async (c) => {
    const { runId, stepId } = c.req.valid('param');
    const { attempt } = c.req.valid('query');
    const artifact = await readStepArtifact(
      { tenantId: c.get('tenantId'), runId, stepId, ...(attempt === undefined ? {} : { attempt }) },
      deps,
    );
    return c.json(artifact, 200);
  });
}

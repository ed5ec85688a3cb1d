import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { recordFeedback } from '../../runs/feedback.js';
import type { ApiDeps, ApiEnv } from '../deps.js';
import { errorResponses, jsonResponse, RunParamsSchema } from '../schemas.js';

const SCORE = 'score is a number from 0 (bad) to 1 (good)';

const FeedbackBodySchema = z
  .strictObject({
    score: z.number({ error: SCORE }).min(0, { error: SCORE }).max(1, { error: SCORE }),
    stepId: z
      .string({ error: 'stepId names a step of the run' })
      .min(1, { error: 'stepId names a step of the run' })
      .max(64)
      .optional()
      .describe('The step scored; leave it out to score the whole run'),
    comment: z
      .string({ error: 'comment is text' })
      .max(4000, { error: 'comment holds at most 4000 characters' })
      .optional(),
  })
  .openapi('FeedbackRequest');

const FeedbackSchema = z
  .object({
    feedbackId: z.string(),
    runId: z.string(),
    score: z.number(),
    stepId: z.string().optional(),
    promptVersion: z.string().optional(),
    comment: z.string().optional(),
    createdAt: z.string(),
  })
  .openapi('Feedback');

const postFeedback = createRoute({
  method: 'post',
  path: '/v1/runs/{runId}/feedback',
  summary: 'Score a run or one of its steps',
  description:
    "Stored for the optimizer; a step's score is tied to the prompt version that produced its answer.",
  request: {
    params: RunParamsSchema,
    body: { required: true, content: { 'application/json': { schema: FeedbackBodySchema } } },
  },
  responses: { 201: jsonResponse('The stored feedback', FeedbackSchema), ...errorResponses(404, 415, 422) },
});

/** `POST /v1/runs/{runId}/feedback`. */
export function registerFeedbackRoute(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(postFeedback, async (c) => {
    const { tenantId: _tenantId, ...feedback } = await recordFeedback(
      { tenantId: c.get('tenantId'), runId: c.req.valid('param').runId, ...c.req.valid('json') },
      deps,
    );
    return c.json(feedback, 201);
  });
}

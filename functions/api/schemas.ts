import { z } from '@hono/zod-openapi';
import { RUN_STATUSES } from '../ports/runs.js';
import { PipelineNameSchema, RunIdSchema } from '../runs/request-schemas.js';

/** One problem of a refused request. */
const ErrorDetailSchema = z.object({
  field: z.string().optional().meta({ example: 'input.topic' }),
  message: z.string(),
  code: z.string().optional(),
  line: z.number().int().optional(),
  col: z.number().int().optional(),
  hint: z.string().optional(),
});

/** Every error reply: `{error: {code, message, details}}`. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'RUN_NOT_FOUND' }),
      message: z.string(),
      details: z.array(ErrorDetailSchema),
    }),
  })
  .openapi('Error');

/** What each error status means, for the OpenAPI document. */
const ERROR_DESCRIPTIONS = {
  400: 'The request does not fit its schema, or its body is not JSON',
  401: 'No API key, or one that is not valid',
  404: 'No such run, pipeline, step or workspace for this tenant (also when it belongs to another tenant)',
  409:
    "The run is not in a state that allows this, the pipeline's state machine name is taken, or the " +
    "idempotency key's first request is still starting its run (retry after the Retry-After header's seconds)",
  413: 'The body is over the size limit (256 KiB; 4 MiB for a repository archive)',
  415: 'The body is not in the media type the route takes',
  422: 'The request is well formed but cannot be done as asked',
} as const;

/** OpenAPI `responses` entries for error statuses; 400, 401 and 413 apply to every route. */
export function errorResponses<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  const all = [400, 401, 413, ...statuses] as (keyof typeof ERROR_DESCRIPTIONS)[];
  return Object.fromEntries(
    all.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorSchema } } },
    ]),
  ) as Record<
    400 | 401 | 413 | S,
    { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }
  >;
}

/** A JSON response of `schema`, for the OpenAPI document. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** The `{name}` path parameter. */
export const PipelineParamsSchema = z.object({
  name: PipelineNameSchema.meta({ example: 'chain' }),
});

/** The `{runId}` path parameter. */
export const RunParamsSchema = z.object({
  runId: RunIdSchema.meta({ example: '20261126T101530123Z-9f2c4e1a' }),
});

/** A run's status. */
export const RunStatusSchema = z.enum(RUN_STATUSES).openapi('RunStatus');

const UsageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() });

/** A run as the API shows it. */
export const RunSchema = z
  .object({
    runId: z.string(),
    pipeline: z.string(),
    status: RunStatusSchema,
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    inputs: z.record(z.string(), z.unknown()),
    redriveCount: z.number().int(),
    workspaceId: z.string().optional().describe('The uploaded repository the run works on, if any'),
    error: z.object({ name: z.string(), message: z.string(), stepId: z.string().optional() }).optional(),
    usage: UsageSchema.optional(),
  })
  .openapi('Run');

/** A run's id and status: what starting, cancelling and redriving answer. */
export const RunStateSchema = z.object({ runId: z.string(), status: RunStatusSchema }).openapi('RunState');

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { registerPipeline } from '../../runs/register-pipeline.js';
import type { ApiDeps, ApiEnv } from '../deps.js';
import { UnsupportedMediaTypeError } from '../errors.js';
import { errorResponses, jsonResponse, PipelineParamsSchema } from '../schemas.js';

const InputDeclSchema = z.object({
  type: z.string(),
  description: z.string().optional(),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
});

const PipelineSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    inputs: z.record(z.string(), InputDeclSchema),
    steps: z.array(z.string()),
    source: z.enum(['registered', 'shipped']),
    updatedAt: z.string().optional(),
  })
  .openapi('Pipeline');

const RegistrationSchema = z
  .object({
    name: z.string(),
    created: z.boolean(),
    bundleHash: z.string(),
    warnings: z.array(z.string()).describe('NAME.yaml:LINE:COL: warning[CODE]: message'),
  })
  .openapi('Registration');

/** Media types a pipeline's YAML may be sent as; `application/yaml` is RFC 9512's. */
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

const listPipelines = createRoute({
  method: 'get',
  path: '/v1/pipelines',
  summary: 'List the pipelines you can start',
  description:
    'Pipelines registered through PUT /v1/pipelines/{name}, and those shipped with the deployment.',
  responses: {
    200: jsonResponse('The pipelines, by name', z.object({ pipelines: z.array(PipelineSchema) })),
    ...errorResponses(),
  },
});

const putPipeline = createRoute({
  method: 'put',
  path: '/v1/pipelines/{name}',
  summary: 'Register or update a pipeline',
  description:
    'Validates and compiles the YAML, creates or updates its state machine, and registers it. An invalid ' +
    'pipeline is a 422 whose details give each error with its line and column; then nothing changes.',
  request: {
    params: PipelineParamsSchema,
    body: {
      required: true,
      content: { 'application/yaml': { schema: z.string().describe('The pipeline file, as YAML') } },
    },
  },
  responses: {
    200: jsonResponse('The pipeline was updated', RegistrationSchema),
    201: jsonResponse('The pipeline was registered', RegistrationSchema),
    ...errorResponses(409, 415, 422),
  },
});

/** `GET /v1/pipelines` and `PUT /v1/pipelines/{name}`. */
export function registerPipelineRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(listPipelines, async (c) => {
    const pipelines = await deps.catalog.list(c.get('tenantId'));
    return c.json(
      { pipelines: pipelines.map((pipeline) => ({ ...pipeline, steps: [...pipeline.steps] })) },
      200,
    );
  });

  app.openapi(putPipeline, async (c) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!YAML_TYPES.includes(mediaType)) throw new UnsupportedMediaTypeError('application/yaml');
    const { name } = c.req.valid('param');
    const registration = await registerPipeline(
      { tenantId: c.get('tenantId'), name, source: await c.req.text() },
      deps,
    );
    const body = { ...registration, warnings: [...registration.warnings] };
    return registration.created ? c.json(body, 201) : c.json(body, 200);
  });
}

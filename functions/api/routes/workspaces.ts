import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireRun } from '../../runs/run-lookup.js';
import { runPatch, storeArchiveWorkspace } from '../../runs/workspace-requests.js';
import { RequestError } from '../../shared/request-error.js';
import { ARCHIVE_MEDIA_TYPES } from '../archive-media-types.js';
import type { ApiDeps, ApiEnv } from '../deps.js';
import { UnsupportedMediaTypeError } from '../errors.js';
import { errorResponses, jsonResponse, RunParamsSchema } from '../schemas.js';

/** Where repositories are uploaded; the app's JSON body limit does not apply to it. */
export const WORKSPACES_PATH = '/v1/workspaces';

/**
 * The largest archive `POST /v1/workspaces` takes. API Gateway hands Lambda a request of at most
 * 6 MB and base64-encodes a binary body (4 bytes for every 3), so 4 MiB of archive is about 5.3 MB
 * in the event, leaving room for the headers. Larger repositories go through the S3 inbox.
 */
export const MAX_ARCHIVE_UPLOAD_BYTES = 4 * 1024 * 1024;

const ARCHIVE_BODY = z.string().openapi({ format: 'binary' });

const WorkspaceSchema = z
  .object({
    workspaceId: z.string().meta({ example: '3f0c9d2a5b7e41c8a6d2e9f0b1c3d4e5' }),
    files: z.number().int().describe('How many files the workspace holds'),
    skipped: z
      .array(z.object({ path: z.string(), reason: z.string() }))
      .describe('What was left out of the repository (a folder ends in /), and why'),
  })
  .openapi('Workspace');

const postWorkspace = createRoute({
  method: 'post',
  path: WORKSPACES_PATH,
  summary: 'Upload a repository as a workspace',
  description:
    'The body is a .tar.gz or .zip of the repository (e.g. git archive --format=tar.gz HEAD), at most ' +
    `${MAX_ARCHIVE_UPLOAD_BYTES} bytes (4 MiB): API Gateway passes Lambda at most 6 MB and base64-encodes ` +
    'binary bodies; put larger archives in the S3 inbox with a run request naming them. The id it returns ' +
    'is derived from the content, so uploading the same tree again returns the same id. Start a run on it ' +
    'with {"workspaceId": …}. An archive holding an entry a workspace may not hold (an absolute path, a ' +
    '"..", a link) is a 422 naming the entry, and nothing is stored.',
  request: {
    body: {
      required: true,
      content: Object.fromEntries(ARCHIVE_MEDIA_TYPES.map((type) => [type, { schema: ARCHIVE_BODY }])),
    },
  },
  responses: { 201: jsonResponse('The stored workspace', WorkspaceSchema), ...errorResponses(415, 422) },
});

const getPatch = createRoute({
  method: 'get',
  path: '/v1/runs/{runId}/patch',
  summary: "The run's changes to its workspace, as a unified diff",
  description:
    'A git-style diff of every file the run created, changed or deleted (apply it with git apply); empty ' +
    'when it changed nothing. A 404 WORKSPACE_NOT_FOUND when the run was started without a workspace.',
  request: { params: RunParamsSchema },
  responses: {
    200: { description: 'The diff', content: { 'text/x-diff': { schema: z.string() } } },
    ...errorResponses(404),
  },
});

/** `POST /v1/workspaces` and `GET /v1/runs/{runId}/patch`. */
export function registerWorkspaceRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(postWorkspace, async (c) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!ARCHIVE_MEDIA_TYPES.includes(mediaType)) {
      throw new UnsupportedMediaTypeError('application/gzip (a .tar.gz) or application/zip');
    }
    // A declared length over the limit is refused unread; without one, the count below stops it.
    if (Number(c.req.header('content-length') ?? 0) > MAX_ARCHIVE_UPLOAD_BYTES) throw archiveTooLarge();
    const stored = await storeArchiveWorkspace(
      deps.artifacts,
      c.get('tenantId'),
      limited(c.req.raw.body, MAX_ARCHIVE_UPLOAD_BYTES),
      'body',
    );
    return c.json({ ...stored, skipped: [...stored.skipped] }, 201);
  });

  app.openapi(getPatch, async (c) => {
    const run = await requireRun(deps.runs, c.get('tenantId'), c.req.valid('param').runId);
    const patch = await runPatch(deps.artifacts, run);
    return c.body(patch, 200, { 'Content-Type': 'text/x-diff; charset=utf-8' });
  });
}

/**
 * The body's chunks as they arrive, refusing it once more than `maxBytes` came: the archive is
 * unpacked as it streams, and never held whole unless it is a .zip.
 */
async function* limited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  if (body === null) return;
  let received = 0;
  for await (const chunk of body) {
    received += chunk.byteLength;
    if (received > maxBytes) throw archiveTooLarge();
    yield chunk;
  }
}

function archiveTooLarge(): RequestError {
  return new RequestError(
    'ARCHIVE_TOO_LARGE',
    `the archive is over the limit of ${MAX_ARCHIVE_UPLOAD_BYTES} bytes (4 MiB) for an upload`,
    [
      {
        field: 'body',
        message:
          'leave build output, data and dependencies out of the archive (git archive does), or put it in the ' +
          'tenant\'s S3 inbox and name it in a run request\'s "archive"',
      },
    ],
  );
}

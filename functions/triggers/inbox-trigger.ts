import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { ArtifactStore } from '../ports/artifact-store.js';
import {
  IdempotencyKeySchema,
  issueDetails,
  PipelineNameSchema,
  RunInputSchema,
} from '../runs/request-schemas.js';
import { storeArchiveWorkspace } from '../runs/workspace-requests.js';
import { artifactKeys } from '../shared/artifact-keys.js';
import { isRequestError } from '../shared/request-error.js';
import {
  invalidRequest,
  rejectTrigger,
  startTriggeredRun,
  type TriggerDeps,
  type TriggerOutcome,
} from './trigger-run.js';

/** A run request dropped in a tenant's inbox. */
export const InboxRequestSchema = z.strictObject({
  pipeline: PipelineNameSchema,
  input: RunInputSchema.default({}),
  idempotencyKey: IdempotencyKeySchema.optional(),
  /** A repository archive in the same inbox (a path relative to it): the run works on it as its workspace. */
  archive: z.string().min(1).max(1024).optional(),
});

/** Requests above this size are refused unread; a run's whole input must fit Step Functions' 256 KiB. */
export const MAX_REQUEST_BYTES = 262_144;

/** An object created in the bucket, as the S3 "Object Created" event describes it. */
export interface CreatedObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  readonly versionId?: string;
}

/** The inbox trigger needs the bucket it watches and the store that reads it. */
export interface InboxTriggerDeps extends TriggerDeps {
  readonly bucket: string;
  readonly artifacts: ArtifactStore;
}

const INBOX_KEY = /^tenants\/([^/]+)\/inbox\/(.+)$/;

/**
 * Starts the run an inbox object asks for. `tenants/{tenantId}/inbox/**.json` is a run request
 * `{pipeline, input, idempotencyKey?, archive?}`; any other object in the inbox is a payload (an
 * archive a request names) and starts nothing. The archive a request names (`.tar.gz` or `.zip`) is
 * stored as a workspace, and the run starts on it. A duplicate delivery of the same object version
 * starts nothing new: the idempotency key defaults to a hash of the bucket, key and version (or ETag),
 * and the same archive is the same workspace.
 *
 * @example
 * await startFromInboxObject({ bucket, key: 'tenants/acme/inbox/r1.json', size: 52, etag }, deps);
 */
export async function startFromInboxObject(
  object: CreatedObject,
  deps: InboxTriggerDeps,
): Promise<TriggerOutcome> {
  const match = INBOX_KEY.exec(object.key);
  if (object.bucket !== deps.bucket || match?.[1] !== deps.tenantId) {
    return {
      outcome: 'ignored',
      reason: `s3://${object.bucket}/${object.key} is not in the inbox of ${deps.tenantId}`,
    };
  }
  if (!object.key.endsWith('.json')) {
    return { outcome: 'ignored', reason: `${object.key} is a payload; only *.json objects are run requests` };
  }
  const { tenantId } = deps;
  const name = match[2] ?? '';
  const origin = `s3://${object.bucket}/${object.key}`;
  const reject = (message: string, details: Parameters<typeof invalidRequest>[1]) =>
    rejectTrigger(tenantId, origin, invalidRequest(message, details), deps);
  if (object.size > MAX_REQUEST_BYTES) {
    return reject(`the run request ${name} is ${object.size} bytes, over the limit of ${MAX_REQUEST_BYTES}`, [
      { message: 'keep large data out of the request: a repository goes in an archive named by "archive"' },
    ]);
  }
  let body: unknown;
  try {
    body = await deps.artifacts.getJson(object.key);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return reject(`the run request ${name} is not valid JSON: ${error.message}`, [
      { message: 'write {"pipeline": "NAME", "input": {...}}' },
    ]);
  }
  const parsed = InboxRequestSchema.safeParse(body);
  if (!parsed.success) {
    return reject(`the run request ${name} is invalid`, issueDetails(parsed.error.issues));
  }
  const { pipeline, input, idempotencyKey, archive } = parsed.data;
  let workspaceId: string | undefined;
  if (archive !== undefined) {
    try {
      workspaceId = await storeInboxArchive(archive, name, deps);
    } catch (error) {
      if (!isRequestError(error)) throw error;
      return rejectTrigger(tenantId, origin, error, deps);
    }
  }
  const version = object.versionId ?? object.etag ?? '';
  const derivedKey = `s3:${createHash('sha256').update(`${object.bucket}/${object.key}#${version}`).digest('hex')}`;
  return startTriggeredRun(
    origin,
    {
      tenantId,
      pipeline,
      input,
      idempotencyKey: idempotencyKey ?? derivedKey,
      ...(workspaceId === undefined ? {} : { workspaceId }),
    },
    deps,
  );
}

/**
 * Stores the archive a request names as a workspace and returns its id. A RequestError when the
 * archive is not in the inbox, or holds an entry no workspace may hold (the message names it).
 */
async function storeInboxArchive(archive: string, request: string, deps: InboxTriggerDeps): Promise<string> {
  const inbox = artifactKeys.inbox(deps.tenantId);
  const key = posix.normalize(`${inbox}${archive}`);
  if (!key.startsWith(inbox) || (await deps.artifacts.size(key)) === undefined) {
    throw invalidRequest(`the archive "${archive}" of run request ${request} cannot be used`, [
      {
        field: 'archive',
        message:
          'name an object already in the same inbox (a path relative to it), and upload it before the request',
      },
    ]);
  }
  const bytes = await deps.artifacts.getStream(key);
  return (await storeArchiveWorkspace(deps.artifacts, deps.tenantId, bytes, 'archive')).workspaceId;
}

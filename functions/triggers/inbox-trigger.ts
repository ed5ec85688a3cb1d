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
import { artifactKeys } from '../shared/artifact-keys.js';
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
  /** An object in the same inbox (a path relative to it) the run should work on; passed as input `archive`. */
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
 * archive a request names) and starts nothing. A duplicate delivery of the same object version
 * starts nothing new: the idempotency key defaults to a hash of the bucket, key and version (or ETag).
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
      { message: 'keep large data in an archive next to the request and name it in "archive"' },
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
  let runInput = input;
  if (archive !== undefined) {
    const archiveKey = posix.normalize(`${artifactKeys.inbox(tenantId)}${archive}`);
    const exists =
      archiveKey.startsWith(artifactKeys.inbox(tenantId)) &&
      (await deps.artifacts.size(archiveKey)) !== undefined;
    if (!exists || 'archive' in input) {
      return reject(`the archive "${archive}" of run request ${name} cannot be used`, [
        {
          field: exists ? 'input.archive' : 'archive',
          message: exists
            ? 'the archive is passed as input "archive"; remove that input'
            : 'name an object already in the same inbox (a path relative to it), and upload it before the request',
        },
      ]);
    }
    runInput = { ...input, archive: `s3://${object.bucket}/${archiveKey}` };
  }
  const version = object.versionId ?? object.etag ?? '';
  const derivedKey = `s3:${createHash('sha256').update(`${object.bucket}/${object.key}#${version}`).digest('hex')}`;
  return startTriggeredRun(
    origin,
    { tenantId, pipeline, input: runInput, idempotencyKey: idempotencyKey ?? derivedKey },
    deps,
  );
}

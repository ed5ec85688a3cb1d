import { z } from 'zod';
import { WorkflowSchema } from '../../pipelines/schema.js';
import type { ErrorDetail } from '../shared/request-error.js';

/** A pipeline name, as `workflow.name` allows it. */
export const PipelineNameSchema = WorkflowSchema.shape.name;

/** An idempotency key: 1 to 255 printable ASCII characters. */
export const IdempotencyKeySchema = z
  .string()
  .min(1, { message: 'an idempotency key holds 1 to 255 printable ASCII characters' })
  .max(255, { message: 'an idempotency key holds 1 to 255 printable ASCII characters' })
  .regex(/^[\x20-\x7e]+$/, { message: 'an idempotency key holds 1 to 255 printable ASCII characters' });

/** A run's input: a JSON object of the pipeline's declared inputs. */
export const RunInputSchema = z.record(z.string(), z.unknown(), {
  error: 'input is a JSON object of the inputs the pipeline declares, e.g. {"topic": "tides"}',
});

/** A run's id, as `newRunId` makes it; anything else cannot name a run. */
export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, {
  message: 'a run id holds letters, digits, "_" and "-", like 20261126T101530123Z-9f2c4e1a',
});

/** A workspace's id, as storing a repository returns it: 32 lowercase hex digits. */
export const WorkspaceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, {
  message: 'a workspace id is 32 lowercase hex digits, as POST /v1/workspaces returns it',
});

/** Zod issues as error details, each naming its field (`input.topic`), `prefix` first. */
export function issueDetails(issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  return issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: base ? `${base}.${key}` : key,
        message: `unknown field "${key}"; remove it`,
      }));
    }
    return [{ ...(base ? { field: base } : {}), message: issue.message }];
  });
}

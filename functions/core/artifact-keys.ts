/**
 * The one place S3 keys are spelled. Every key starts with `tenants/{tenantId}/`, so a tenant's IAM
 * grant is a single prefix.
 */
export const artifactKeys = {
  /** The JSON artifact of one step attempt. */
  attempt(tenantId: string, runId: string, stepId: string, attempt: number): string {
    return `tenants/${tenantId}/runs/${runId}/steps/${stepId}/${attempt}.json`;
  },
  /** Every artifact of a run. */
  runPrefix(tenantId: string, runId: string): string {
    return `tenants/${tenantId}/runs/${runId}/`;
  },
  /** A compiled spec bundle, content-addressed so a run always reads the bundle it started with. */
  specBundle(tenantId: string, pipeline: string, hash: string): string {
    return `tenants/${tenantId}/specs/${pipeline}/${hash}.json`;
  },
} as const;

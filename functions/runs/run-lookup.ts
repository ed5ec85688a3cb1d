import type { RunRecord, RunRecords } from '../ports/runs.js';
import { RequestError } from '../shared/request-error.js';

/**
 * A tenant's run, or RUN_NOT_FOUND. Another tenant's run is not found either: runs are keyed by
 * tenant, so the answer cannot tell "not yours" from "does not exist".
 */
export async function requireRun(runs: RunRecords, tenantId: string, runId: string): Promise<RunRecord> {
  const run = await runs.getRun(tenantId, runId);
  if (!run) {
    throw new RequestError('RUN_NOT_FOUND', `there is no run "${runId}"`, [
      { field: 'runId', message: 'list your runs with GET /v1/runs' },
    ]);
  }
  return run;
}

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { ExecutionEventsConfigSchema, readControlConfig } from '../control/config.js';
import { createControlDeps } from '../control/create-control-deps.js';
import { ExecutionStatusChangeSchema, handleExecutionStatusChange } from '../core/execution-status.js';

const SERVICE = 'elexirion-execution-events';
const logger = new Logger({ serviceName: SERVICE });
const tracer = new Tracer({ serviceName: SERVICE });
// Once per container; the core never reads the environment itself.
const deps = createControlDeps(
  readControlConfig(ExecutionEventsConfigSchema, process.env, 'execution events'),
  process.env,
);

/** The EventBridge envelope of a "Step Functions Execution Status Change" event. */
const StatusChangeEventSchema = z.object({ detail: ExecutionStatusChangeSchema });

/**
 * The execution-events Lambda: when an execution of the tenant's state machines ends, it closes the
 * run (status, totals, error) and publishes `PipelineRunCompleted` or `PipelineRunFailed`. Duplicate
 * and late events change nothing; failures throw so EventBridge retries.
 */
export const handler = middy(async (event: unknown) => {
  const run = await handleExecutionStatusChange(StatusChangeEventSchema.parse(event).detail, deps);
  if (run) logger.info('run closed', { runId: run.runId, status: run.status });
  return run?.status ?? 'IGNORED';
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger));

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeEnvelope } from '@aws-lambda-powertools/parser/envelopes/eventbridge';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { ExecutionEventsConfigSchema, readControlConfig } from '../control/config.js';
import { createControlDeps } from '../control/create-control-deps.js';
import {
  type ExecutionStatusChange,
  ExecutionStatusChangeSchema,
  handleExecutionStatusChange,
} from '../runs/execution-status.js';

const SERVICE = 'elexirion-execution-events';
const logger = new Logger({ serviceName: SERVICE });
const tracer = new Tracer({ serviceName: SERVICE });
// Once per container; the core never reads the environment itself.
const deps = createControlDeps(
  readControlConfig(ExecutionEventsConfigSchema, process.env, 'execution events'),
  process.env,
);

/**
 * The execution-events Lambda: when an execution of the tenant's state machines ends, it closes the
 * run (status, totals, error) and publishes `PipelineRunCompleted` or `PipelineRunFailed`. Duplicate
 * and late events change nothing; failures throw so EventBridge retries.
 */
export const handler = middy(async (change: ExecutionStatusChange) => {
  const run = await handleExecutionStatusChange(change, deps);
  if (run) logger.info('run closed', { runId: run.runId, status: run.status });
  return run?.status ?? 'IGNORED';
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  // The "Step Functions Execution Status Change" event: Powertools checks the envelope, zod the detail.
  .use(parser({ schema: ExecutionStatusChangeSchema, envelope: EventBridgeEnvelope }));

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { readControlConfig, TriggerConfigSchema } from '../control/config.js';
import { createControlDeps } from '../control/create-control-deps.js';
import { routeTriggerEvent, TriggerEventSchema } from '../triggers/trigger-event.js';

const SERVICE = 'elexirion-trigger';
const logger = new Logger({ serviceName: SERVICE });
const tracer = new Tracer({ serviceName: SERVICE });
// Once per container; the core never reads the environment itself.
const deps = createControlDeps(readControlConfig(TriggerConfigSchema, process.env, 'trigger'), process.env);

/**
 * The trigger Lambda, target of two EventBridge rules: S3 "Object Created" in the tenant's inbox and
 * `PipelineRequested` on the tenant's bus. A request the sender got wrong is rejected with a
 * `PipelineRequestRejected` event and not retried; a failure of ours throws, so EventBridge retries
 * (duplicates start nothing new: each delivery has the same idempotency key).
 */
export const handler = middy(async (event: unknown) => {
  const outcome = await routeTriggerEvent(TriggerEventSchema.parse(event), deps);
  if (outcome.outcome === 'rejected') {
    logger.warn('request rejected', { code: outcome.error.code, message: outcome.error.message });
  } else {
    logger.info(
      `trigger ${outcome.outcome}`,
      outcome.outcome === 'started' ? { ...outcome.run } : { reason: outcome.reason },
    );
  }
  return outcome.outcome;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger));

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { readStepRunnerConfig } from '../core/config.js';
import { createDeps } from '../core/create-deps.js';
import { isStepRef } from '../core/step-event.js';
import { handleStepRunnerEvent } from '../core/step-runner-handler.js';

const SERVICE = 'elexirion-step-runner';
const logger = new Logger({ serviceName: SERVICE });
const metrics = new Metrics({ namespace: 'Elexirion', serviceName: SERVICE });
const tracer = new Tracer({ serviceName: SERVICE });
// Once per container; the core never reads the environment itself.
const deps = createDeps(readStepRunnerConfig(process.env), process.env);

/**
 * The step-runner Lambda: one step of one run per invocation. Errors propagate with their `name`
 * intact, so the state machine's Retry and Catch match them; nothing here turns a failure into success.
 */
export const handler = middy(async (event: unknown) => {
  const result = await handleStepRunnerEvent(event, deps);
  if (isStepRef(result)) {
    metrics.addMetric('InputTokens', MetricUnit.Count, result.inputTokens);
    metrics.addMetric('OutputTokens', MetricUnit.Count, result.outputTokens);
    metrics.addMetric('ProviderLatency', MetricUnit.Milliseconds, result.latencyMs);
  }
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { readStepRunnerConfig } from '../shared/config.js';
import { createDeps } from '../step-runner/create-deps.js';
import { handleStepRunnerEvent } from '../step-runner/handler.js';
import { isStepRef } from '../step-runner/step-event.js';
import { STEP_METRICS } from '../step-runner/step-metrics.js';

const { service, names } = STEP_METRICS;
// Once per container; the core never reads the environment itself.
const config = readStepRunnerConfig(process.env);
const depsNow = createDeps(config, process.env);
const logger = new Logger({ serviceName: service });
// Tenants may share an account, so every metric says whose it is (one value per function: low cardinality).
const metrics = new Metrics({
  namespace: STEP_METRICS.namespace,
  serviceName: service,
  defaultDimensions: { [STEP_METRICS.tenantDimension]: config.TENANT_ID },
});
const tracer = new Tracer({ serviceName: service });

/**
 * The step-runner Lambda: one step of one run per invocation. Errors propagate with their `name`
 * intact, so the state machine's Retry and Catch match them; nothing here turns a failure into success.
 */
export const handler = middy(async (event: unknown) => {
  const result = await handleStepRunnerEvent(event, await depsNow());
  if (isStepRef(result)) {
    metrics.addMetric(names.inputTokens, MetricUnit.Count, result.inputTokens);
    metrics.addMetric(names.outputTokens, MetricUnit.Count, result.outputTokens);
    metrics.addMetric(names.providerLatency, MetricUnit.Milliseconds, result.latencyMs);
    metrics.addMetric(names.costUsd, MetricUnit.NoUnit, result.costUsd);
    metrics.addMetric(names.degradedSteps, MetricUnit.Count, result.degraded ? 1 : 0);
  }
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));

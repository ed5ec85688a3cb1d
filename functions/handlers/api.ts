import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { createKeyAuthenticator } from '../api/api-keys.js';
import { createApiApp } from '../api/app.js';
import { ApiConfigSchema, readControlConfig } from '../control/config.js';
import { createControlDeps, sfnDeploymentOf } from '../control/create-control-deps.js';
import { registeredStateMachineName } from '../runs/state-machine-names.js';
import { DynamoApiKeyStore } from '../stores/dynamo-api-key-store.js';

const SERVICE = 'elexirion-api';
const logger = new Logger({ serviceName: SERVICE });
const tracer = new Tracer({ serviceName: SERVICE });
// Once per container; the core never reads the environment itself.
const config = readControlConfig(ApiConfigSchema, process.env, 'run API');
const deps = createControlDeps(config, process.env, sfnDeploymentOf(config));
const app = createApiApp({
  ...deps,
  authenticate: createKeyAuthenticator(new DynamoApiKeyStore(deps.db, config.API_KEYS_TABLE)),
  stateMachineName: registeredStateMachineName,
  // The error only: requests are not logged, so no Authorization header can reach the logs.
  reportError: (error, incident) => logger.error('request failed', { incident, error: error as Error }),
});

/**
 * The run API Lambda behind API Gateway (REST proxy integration; HTTP API v2 events work too): the
 * same Hono app `elexirion dev` serves, adapted by `hono/aws-lambda`.
 */
export const handler = middy(handle(app)).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger));

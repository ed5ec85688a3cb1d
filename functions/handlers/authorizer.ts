import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { createKeyAuthenticator } from '../api/api-keys.js';
import { authorizeToken, type TokenAuthorizerEvent } from '../api/gateway-authorizer.js';
import { awsRequestHandler } from '../shared/aws-clients.js';
import { readAuthorizerConfig } from '../shared/config.js';
import { DynamoApiKeyStore } from '../stores/dynamo-api-key-store.js';

// Once per container; the core never reads the environment itself.
const config = readAuthorizerConfig(process.env);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: awsRequestHandler() }));
const authenticate = createKeyAuthenticator(new DynamoApiKeyStore(db, config.API_KEYS_TABLE));
const logger = new Logger({ serviceName: 'elexirion-authorizer' });

/** The run API's TOKEN authorizer: a tenant's own API key (`Authorization: Bearer …`) or a 401. */
export const handler = middy((event: TokenAuthorizerEvent) =>
  authorizeToken(event, { tenantId: config.TENANT_ID, authenticate }),
).use(injectLambdaContext(logger));

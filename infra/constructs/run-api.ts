import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ARCHIVE_MEDIA_TYPES } from '../../functions/api/archive-media-types.js';
import { acknowledge } from '../nag.js';

/** Props of {@link RunApi}. */
export interface RunApiProps {
  /** The tenant the API serves; it names the API. */
  readonly tenantId: string;
  /** The run API app (`functions/handlers/api.ts`); every route is proxied to it. */
  readonly handler: lambda.IFunction;
  /** The TOKEN authorizer (`functions/handlers/authorizer.ts`) that checks the tenant's API keys. */
  readonly authorizer: lambda.IFunction;
  /** Steady-state requests per second allowed for the tenant. */
  readonly rateLimit: number;
  /** Requests the tenant may burst above the rate. */
  readonly burstLimit: number;
  /**
   * How long an authorizer decision is cached per key; a revoked key keeps working that long.
   * @default Duration.minutes(5)
   */
  readonly authorizerCacheTtl?: Duration;
  /**
   * How long access logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The tenant's run API: a REST API whose every route (the root and `{proxy+}`, any method) goes
 * through a TOKEN authorizer and then to the run API app. The `v1` stage throttles the tenant to its
 * own rate and burst, writes JSON access logs, and traces with X-Ray. REST, not HTTP API, because
 * only REST APIs throttle per stage and method.
 *
 * @example
 * const api = new RunApi(this, 'Api', { tenantId: 'acme', handler, authorizer, rateLimit: 10, burstLimit: 20 });
 * api.api.url; // https://….execute-api.….amazonaws.com/v1/
 */
export class RunApi extends Construct {
  /** The REST API. */
  readonly api: apigateway.RestApi;

  constructor(scope: Construct, id: string, props: RunApiProps) {
    super(scope, id);
    if (props.rateLimit <= 0 || props.burstLimit <= 0) {
      throw new Error(
        `${this.node.path}: rateLimit and burstLimit must be positive, got ${props.rateLimit} and ${props.burstLimit}`,
      );
    }
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const authorizer = new apigateway.TokenAuthorizer(this, 'Authorizer', {
      handler: props.authorizer,
      identitySource: apigateway.IdentitySource.header('Authorization'),
      resultsCacheTtl: props.authorizerCacheTtl ?? Duration.minutes(5),
    });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `elexirion-${props.tenantId}-runs`,
      description: `Elexirion run API of tenant ${props.tenantId}`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account-wide CloudWatch role is a singleton that tenant stacks must not fight over.
      cloudWatchRole: false,
      defaultMethodOptions: { authorizer, authorizationType: apigateway.AuthorizationType.CUSTOM },
      // Repository archives (POST /v1/workspaces) reach the handler base64-encoded, as bytes; any
      // other body as text. The handler decodes an event marked isBase64Encoded.
      binaryMediaTypes: [...ARCHIVE_MEDIA_TYPES],
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const integration = new apigateway.LambdaIntegration(props.handler);
    this.api.root.addMethod('ANY', integration);
    this.api.root.addProxy({ defaultIntegration: integration, anyMethod: true });
    this.acknowledgeFindings();
  }

  private acknowledgeFindings(): void {
    acknowledge(
      this.api,
      'AwsSolutions-APIG2',
      'The app validates every request body and parameter with the zod schemas its OpenAPI document is ' +
        'generated from, and answers 4xx JSON errors; gateway models would be a second, drifting copy.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-APIG3',
      'Abuse is bounded per tenant by the stage throttle (rate and burst from tenants.yaml) behind an API-key ' +
        'authorizer; a WAF web ACL per tenant stack would add a fixed monthly charge per tenant. Attach an ' +
        'account-level WAF if the API is exposed to untrusted networks.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-APIG6',
      'Execution logging needs the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), a ' +
        'singleton per account and Region that per-tenant stacks cannot each own; access logs, the handler’s ' +
        'logs and X-Ray traces cover every request.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-COG4',
      'Callers are services holding a tenant API key, not Cognito users; the TOKEN authorizer verifies the ' +
        'key against the tenant’s hashed keys on every route.',
    );
  }
}

import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STEP_METRICS } from '../../functions/step-runner/step-metrics.js';
import { acknowledge, XRAY_WILDCARD_REASON } from '../nag.js';

/** The repository root: handler entries are resolved from it, and its lock file pins the bundle. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The EMF namespace every handler's Powertools Metrics writes to (as `functions/handlers/*.ts` set it). */
const METRICS_NAMESPACE = STEP_METRICS.namespace;

/**
 * The Lambda runtime of every handler: the newest Node.js LTS that aws-cdk-lib 2.276 offers. The
 * bundle targets the same version.
 */
const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * Needed in every ESM bundle that includes Powertools Tracer: aws-xray-sdk-core (through cls-hooked)
 * calls `require` for Node built-ins, which esbuild's ESM output cannot do without it.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** Memory of a handler that sets none: enough for the SDK clients and a bundle of a few MB. */
export const DEFAULT_HANDLER_MEMORY_MB = 512;

/** Props of {@link HandlerFunction}. */
export interface HandlerFunctionProps {
  /** The handler module, relative to the repository root; it must export `handler`. */
  readonly entry: string;
  /** The Powertools service name: the `service` of every log line, trace and metric. */
  readonly serviceName: string;
  /** The tenant it serves, set as `TENANT_ID`: the metrics dimension `tenant` and a guard for handlers. */
  readonly tenantId: string;
  /** Configuration the handler reads at cold start (names from `functions/shared/config.ts`). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Memory, which also sets the CPU share.
   * @default DEFAULT_HANDLER_MEMORY_MB
   */
  readonly memorySize?: number;
  /**
   * How long one invocation may run.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * How long its logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /** What the function does, shown in the console. */
  readonly description: string;
}

/**
 * One Lambda handler of `functions/handlers/`, built the same way for all: an ESM esbuild bundle made
 * with the project's own esbuild (no Docker), ARM64, {@link HANDLER_RUNTIME}, X-Ray active, JSON logs
 * in a log group of its own, and a role that may write only to that log group until grants add more.
 *
 * @example
 * const fn = new HandlerFunction(this, 'Trigger', {
 *   entry: 'functions/handlers/trigger.ts', serviceName: 'elexirion-trigger', tenantId: 'acme',
 *   environment: { ARTIFACT_BUCKET: bucket.bucketName }, description: 'Starts runs from inbox objects',
 * });
 */
export class HandlerFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;
  /** Its execution role; grants go here (the function is also an `IGrantable` for it). */
  readonly role: iam.Role;
  /** Its log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole, whose log actions name every log group.
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', XRAY_WILDCARD_REASON);
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_HANDLER_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        TENANT_ID: props.tenantId,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Bundle the AWS SDK too, so the versions tested here are the versions that run.
        externalModules: [],
      },
    });
  }
}

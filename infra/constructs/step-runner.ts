import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { ProviderMode } from '../../functions/providers/provider-router.js';
import type { StepRunnerConfig } from '../../functions/shared/config.js';
import { STEP_METRICS } from '../../functions/step-runner/step-metrics.js';
import type { ArtifactBucket } from './artifact-bucket.js';
import { HandlerFunction } from './handler-function.js';
import type { ProviderSecrets } from './provider-secrets.js';
import type { RunTables } from './run-tables.js';

/** Memory of the step runner: it mostly waits on the provider, so CPU matters little. */
export const STEP_RUNNER_MEMORY_MB = 512;

/** Room between the longest Task timeout and the function's, so Step Functions times out first. */
const TIMEOUT_HEADROOM = Duration.seconds(10);

/** Lambda's hard limit on one invocation. */
const LAMBDA_MAX_TIMEOUT = Duration.minutes(15);

/** Props of {@link StepRunner}. */
export interface StepRunnerProps {
  /** The tenant whose steps it runs. */
  readonly tenantId: string;
  /** Where artifacts and spec bundles are read and written. */
  readonly artifacts: ArtifactBucket;
  /** Where attempts are counted and recorded. */
  readonly tables: RunTables;
  /** The provider keys, read at run time. */
  readonly keys: ProviderSecrets;
  /**
   * Which providers serve the steps.
   * @default 'auto' - each family's provider when its key secret holds a key, the mock otherwise
   */
  readonly providerMode?: ProviderMode;
  /** The longest `TimeoutSeconds` of any Task that calls it; the function's timeout is set above it. */
  readonly longestTaskTimeout: Duration;
}

/**
 * The step-runner Lambda (`functions/handlers/step-runner.ts`) of one tenant, with exactly the access
 * a step needs: the tenant's objects, its attempt records, and its provider keys.
 *
 * @example
 * const runner = new StepRunner(this, 'StepRunner', {
 *   tenantId: 'acme', artifacts, tables, keys, longestTaskTimeout: Duration.seconds(150),
 * });
 * runner.function.grantInvoke(stateMachine);
 */
export class StepRunner extends Construct {
  /** The function; state machines name it through `${StepRunnerArn}`. */
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: StepRunnerProps) {
    super(scope, id);
    const timeout = props.longestTaskTimeout.plus(TIMEOUT_HEADROOM);
    if (timeout.toSeconds() > LAMBDA_MAX_TIMEOUT.toSeconds()) {
      throw new Error(
        `${this.node.path}: the longest Task timeout is ${props.longestTaskTimeout.toSeconds()} s; with ` +
          `${TIMEOUT_HEADROOM.toSeconds()} s of headroom it exceeds Lambda's 900 s limit — lower the step's timeout`,
      );
    }
    const { secrets } = props.keys;
    const environment = {
      ARTIFACT_BUCKET: props.artifacts.bucket.bucketName,
      RUNS_TABLE: props.tables.tables.runs.tableName,
      ATTEMPTS_TABLE: props.tables.tables.attempts.tableName,
      PROVIDER_MODE: props.providerMode ?? 'auto',
      ANTHROPIC_KEY_SECRET: secrets.anthropic.secretArn,
      GEMINI_KEY_SECRET: secrets.gemini.secretArn,
    } satisfies Partial<Record<keyof StepRunnerConfig, string>>;
    const handler = new HandlerFunction(this, 'Handler', {
      entry: 'functions/handlers/step-runner.ts',
      serviceName: STEP_METRICS.service,
      tenantId: props.tenantId,
      environment,
      memorySize: STEP_RUNNER_MEMORY_MB,
      timeout,
      description: `Elexirion step runner of tenant ${props.tenantId}: one pipeline step per invocation`,
    });
    this.function = handler.function;
    props.artifacts.grantTenantReadWrite(this.function);
    props.tables.grantWriteAttempts(this.function);
    props.keys.grantRead(this.function);
  }
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Placeholder } from '../../pipelines/contract/spec-bundle.js';
import { DeployedPipelineCatalog } from '../catalog/deployed-catalog.js';
import { layeredCatalog } from '../catalog/layered-catalog.js';
import { RegistryPipelineCatalog } from '../catalog/registry-catalog.js';
import { type SfnDeployment, SfnExecutionEngine } from '../engines/sfn-execution-engine.js';
import { EventBridgePublisher } from '../events/eventbridge-publisher.js';
import { readDeployedPipelines } from '../runs/deployed-pipelines.js';
import { awsRequestHandler } from '../shared/aws-clients.js';
import { cachedBundleLoader } from '../shared/bundle-loader.js';
import { DynamoRunStore } from '../stores/dynamo-run-store.js';
import { S3ArtifactStore } from '../stores/s3-artifact-store.js';
import type { ApiConfig, TriggerConfig } from './config.js';

/**
 * What every control-plane handler shares in Lambda: the stores, the pipeline catalog (registered
 * pipelines over the deployed ones), the Step Functions engine and the EventBridge publisher. SDK
 * clients come from the default chain (region, credentials, `AWS_ENDPOINT_URL_*`), built once per
 * container.
 *
 * @example
 * const deps = createControlDeps(readControlConfig(TriggerConfigSchema, process.env, 'trigger'), process.env);
 */
export function createControlDeps(
  config: TriggerConfig,
  env: Readonly<Record<string, string | undefined>>,
  deployment?: SfnDeployment,
) {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: awsRequestHandler() }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const artifacts = new S3ArtifactStore(
    new S3Client({
      forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
      requestHandler: awsRequestHandler(),
    }),
    config.ARTIFACT_BUCKET,
  );
  const runs = new DynamoRunStore(db, { runs: config.RUNS_TABLE, attempts: config.ATTEMPTS_TABLE });
  const loadBundle = cachedBundleLoader(artifacts);
  return {
    tenantId: config.TENANT_ID,
    bucket: config.ARTIFACT_BUCKET,
    db,
    artifacts,
    runs,
    loadBundle,
    catalog: layeredCatalog([
      new RegistryPipelineCatalog(runs, loadBundle),
      new DeployedPipelineCatalog(config.TENANT_ID, readDeployedPipelines(env), loadBundle),
    ]),
    engine: new SfnExecutionEngine({
      client: new SFNClient({ requestHandler: awsRequestHandler() }),
      ...(deployment ? { deployment } : {}),
    }),
    events: new EventBridgePublisher(
      new EventBridgeClient({ requestHandler: awsRequestHandler() }),
      config.EVENT_BUS_NAME,
    ),
    now: () => new Date(),
  };
}

/**
 * How the run API creates state machines for pipelines registered at run time: as the configured
 * role, with the step runner's ARN substituted, in the step runner's region and account.
 */
export function sfnDeploymentOf(config: ApiConfig): SfnDeployment {
  // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME
  const [, partition, , region, account] = config.STEP_RUNNER_ARN.split(':');
  return {
    stateMachineArnBase: `arn:${partition}:states:${region}:${account}:stateMachine:`,
    roleArn: config.STATE_MACHINE_ROLE_ARN,
    substitutions: { [Placeholder.StepRunner.slice(2, -1)]: config.STEP_RUNNER_ARN },
    ...(config.STATE_MACHINE_LOG_GROUP_ARN === undefined
      ? {}
      : { logGroupArn: config.STATE_MACHINE_LOG_GROUP_ARN }),
  };
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cachedBundleLoader } from './bundle-loader.js';
import type { StepRunnerConfig } from './config.js';
import { createProviderRouter, providerSettingsFromEnv } from './providers/provider-router.js';
import type { StepRunnerDeps } from './step-runner.js';
import { DynamoRunStore } from './stores/dynamo-run-store.js';
import { S3ArtifactStore } from './stores/s3-artifact-store.js';

/**
 * The step runner's deps in Lambda: SDK clients from the default chain (region, credentials and
 * endpoints such as `AWS_ENDPOINT_URL_S3` come from the environment), built once per container.
 */
export function createDeps(
  config: StepRunnerConfig,
  env: Readonly<Record<string, string | undefined>>,
): StepRunnerDeps {
  const s3 = new S3Client({ forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true' });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const artifacts = new S3ArtifactStore(s3, config.ARTIFACT_BUCKET);
  return {
    artifacts,
    runs: new DynamoRunStore(db, { runs: config.RUNS_TABLE, attempts: config.ATTEMPTS_TABLE }),
    // TODO(#4): read provider keys from Secrets Manager at run time instead of the environment.
    providerFor: createProviderRouter(providerSettingsFromEnv(env, { mode: config.PROVIDER_MODE })),
    loadBundle: cachedBundleLoader(artifacts),
    now: () => new Date(),
  };
}

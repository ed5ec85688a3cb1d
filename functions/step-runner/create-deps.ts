import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PromptPackRegistry } from '../prompt-packs/pack-registry.js';
import { keyedProviderRouter } from '../providers/keyed-provider-router.js';
import { type KeySource, type ProviderKeys, secretsKeySource } from '../providers/provider-keys.js';
import { providerSettingsFromEnv } from '../providers/provider-router.js';
import { awsRequestHandler } from '../shared/aws-clients.js';
import { cachedBundleLoader } from '../shared/bundle-loader.js';
import type { StepRunnerConfig } from '../shared/config.js';
import { DynamoPromptPackStore } from '../stores/dynamo-prompt-pack-store.js';
import { DynamoRunStore } from '../stores/dynamo-run-store.js';
import { S3ArtifactStore } from '../stores/s3-artifact-store.js';
import type { StepRunnerDeps } from './deps.js';

/**
 * The step runner's deps in Lambda. SDK clients come from the default chain (region, credentials and
 * endpoints such as `AWS_ENDPOINT_URL_S3` come from the environment) and are built once per
 * container; the returned function is called once per invocation and adds the provider router for
 * the keys current at that moment. With key secrets configured, keys are read from Secrets Manager
 * (cached for a few minutes), never from the environment; without, from the standard key variables.
 *
 * @example
 * const depsNow = createDeps(readStepRunnerConfig(process.env), process.env);
 * await runStep(event, await depsNow());
 */
export function createDeps(
  config: StepRunnerConfig,
  env: Readonly<Record<string, string | undefined>>,
): () => Promise<StepRunnerDeps> {
  const s3 = new S3Client({
    forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
    requestHandler: awsRequestHandler(),
  });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: awsRequestHandler() }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const artifacts = new S3ArtifactStore(s3, config.ARTIFACT_BUCKET);
  const stores = {
    artifacts,
    runs: new DynamoRunStore(db, { runs: config.RUNS_TABLE, attempts: config.ATTEMPTS_TABLE }),
    loadBundle: cachedBundleLoader(artifacts),
    now: () => new Date(),
    promptPacks: new PromptPackRegistry(new DynamoPromptPackStore(db, config.RUNS_TABLE, artifacts)),
  };
  const settings = providerSettingsFromEnv(env, { mode: config.PROVIDER_MODE });
  const routerNow = keyedProviderRouter(settings, keysOf(config, settings));
  return async () => ({ ...stores, providerFor: await routerNow() });
}

/** Secrets Manager when any key secret is configured; otherwise the keys of the environment. */
function keysOf(config: StepRunnerConfig, fromEnv: ProviderKeys): KeySource {
  const { ANTHROPIC_KEY_SECRET: anthropic, GEMINI_KEY_SECRET: gemini } = config;
  if (anthropic === undefined && gemini === undefined) return async () => fromEnv;
  return secretsKeySource({
    ...(anthropic === undefined ? {} : { anthropic }),
    ...(gemini === undefined ? {} : { gemini }),
  });
}

import { z } from 'zod';

/** One pipeline deployed with the stack: the state machine that runs it and its spec bundle in S3. */
const DeployedPipelineSchema = z.object({
  /** ARN of its Standard state machine. */
  stateMachine: z.string().min(1),
  /** S3 key of its spec bundle (`artifactKeys.specBundle`), put there at deploy time. */
  bundleKey: z.string().min(1),
});

/** The pipelines deployed with a tenant's stack, by pipeline name. */
export const DeployedPipelinesSchema = z.record(z.string(), DeployedPipelineSchema);

/** The pipelines deployed with a tenant's stack, by pipeline name. */
export type DeployedPipelines = z.infer<typeof DeployedPipelinesSchema>;

/**
 * The environment variable the CDK stack sets, on every function that starts or follows runs, to the
 * JSON of {@link DeployedPipelines}.
 */
export const DEPLOYED_PIPELINES_VARIABLE = 'DEPLOYED_PIPELINES';

/**
 * Reads the deployed pipelines from an environment; none when the variable is absent (the local
 * stack serves `pipelines/` instead).
 *
 * @example
 * readDeployedPipelines(process.env).chain; // { stateMachine: 'arn:aws:states:…', bundleKey: 'tenants/acme/specs/chain/….json' }
 */
export function readDeployedPipelines(env: Readonly<Record<string, string | undefined>>): DeployedPipelines {
  const value = env[DEPLOYED_PIPELINES_VARIABLE];
  if (value === undefined) return {};
  return DeployedPipelinesSchema.parse(JSON.parse(value));
}
